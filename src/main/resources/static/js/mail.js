/* The Mail pages: new mail and unread counts without a reload (polling), and keyboard shortcuts.
   Everything it needs is in the data attributes of [data-mail-page]; no inline script (CSP). */
(function () {
  'use strict';

  var root = document.querySelector('[data-mail-page]');
  if (!root) {
    return;
  }
  var page = root.getAttribute('data-mail-page');
  var mailboxId = root.getAttribute('data-mailbox-id');
  var folder = root.getAttribute('data-folder') || 'INBOX';
  var readOnly = root.getAttribute('data-read-only') === 'true';
  var pollSeconds = Math.max(5, parseInt(root.getAttribute('data-poll-seconds'), 10) || 60);
  var base = mailboxPath(mailboxId);

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  // the app may run under a context path: take it from a link the page already has
  function mailboxPath(id) {
    var link = document.querySelector('#mailbox-switcher a[href*="/mail/' + id + '"]');
    var href = link ? link.getAttribute('href') : '/mail/' + id;
    return href.substring(0, href.indexOf('/mail/' + id) + ('/mail/' + id).length);
  }

  // ---- live updates ------------------------------------------------------------------------

  function setCount(link, unread) {
    if (!link) {
      return;
    }
    var count = link.querySelector('.count');
    if (unread === null || unread === undefined || unread <= 0) {
      if (count && unread !== null && unread !== undefined) {
        count.remove();
      }
      return;
    }
    if (!count) {
      count = document.createElement('span');
      count.className = 'count';
      link.appendChild(count);
    }
    count.textContent = String(unread);
    count.title = unread + ' unread';
  }

  var banner = null;

  /** The polite live region that says "N new messages — Show"; made at load so it is announced when filled. */
  function newMailRegion() {
    if (page !== 'list' || root.getAttribute('data-page') !== '1' || root.getAttribute('data-search') === 'true') {
      return null;
    }
    var region = document.createElement('div');
    region.id = 'mail-new';
    region.className = 'mail-new';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    var search = document.getElementById('mail-search');
    if (search && search.parentNode) {
      search.parentNode.insertBefore(region, search.nextSibling);
    } else {
      root.appendChild(region);
    }
    return region;
  }

  function showNew(count) {
    if (!banner) {
      return;
    }
    var text = count === 1 ? '1 new message' : count + ' new messages';
    var link = banner.querySelector('a');
    if (!link) {
      banner.textContent = '';
      var span = document.createElement('span');
      banner.appendChild(span);
      banner.appendChild(document.createTextNode(' — '));
      link = document.createElement('a');
      link.id = 'mail-new-show';
      link.href = base + '?folder=' + encodeURIComponent(folder);
      link.textContent = 'Show';
      banner.appendChild(link);
    }
    banner.querySelector('span').textContent = text;
    banner.classList.add('shown');
  }

  function apply(updates) {
    (updates.mailboxes || []).forEach(function (m) {
      setCount(document.querySelector('#mailbox-switcher a[href*="/mail/' + m.id + '"]'), m.unread);
    });
    (updates.folders || []).forEach(function (f) {
      var links = document.querySelectorAll('#folders a[data-folder]');
      Array.prototype.forEach.call(links, function (link) {
        if (link.getAttribute('data-folder') === f.name) {
          setCount(link, f.unread);
        }
      });
    });
    var newest = parseInt(root.getAttribute('data-newest-uid'), 10) || 0;
    if (banner && updates.newest_uid > newest) {
      // a message deleted elsewhere meanwhile makes the difference smaller; there is at least one new
      var shown = parseInt(root.getAttribute('data-total'), 10) || 0;
      showNew(Math.max(1, updates.total - shown));
    }
  }

  var inFlight = false;

  function poll() {
    if (document.hidden || inFlight || !window.fetch) {
      return Promise.resolve();
    }
    inFlight = true;
    var url = base + '/updates?folder=' + encodeURIComponent(folder);
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        var type = response.headers.get('Content-Type') || '';
        // signed out meanwhile: the answer is the sign-in page; the next reload shows it
        if (!response.ok || type.indexOf('json') === -1) {
          return null;
        }
        return response.json();
      })
      .then(function (updates) {
        if (updates) {
          apply(updates);
        }
      }, function () { /* offline for a moment: the next poll tries again */ })
      .then(function () {
        inFlight = false;
        root.setAttribute('data-polled', String(Date.now()));
      });
  }

  var timer = null;

  function schedule() {
    window.clearInterval(timer);
    timer = document.hidden ? null : window.setInterval(poll, pollSeconds * 1000);
  }

  // no polling in a hidden tab; coming back asks at once
  document.addEventListener('visibilitychange', function () {
    schedule();
    if (!document.hidden) {
      poll();
    }
  });

  // ---- keyboard shortcuts ------------------------------------------------------------------

  var help = document.getElementById('shortcuts-help');
  var opener = document.getElementById('shortcuts-open');
  var returnFocus = null;

  function openHelp() {
    if (!help || help.open) {
      return;
    }
    returnFocus = document.activeElement;
    help.showModal();
  }

  function closeHelp() {
    if (help && help.open) {
      help.close();
    }
  }

  if (help) {
    help.addEventListener('close', function () {
      if (returnFocus && returnFocus.focus && document.contains(returnFocus)) {
        returnFocus.focus();
      }
      returnFocus = null;
    });
    var close = document.getElementById('shortcuts-close');
    if (close) {
      close.addEventListener('click', closeHelp);
    }
  }
  if (opener && help) {
    opener.hidden = false;
    opener.addEventListener('click', openHelp);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#message-list tbody tr[data-uid]'));
  }

  function currentRow() {
    return document.querySelector('#message-list tbody tr.current');
  }

  function rowLink(row) {
    return row ? row.querySelector('.mail-subject a, a[href*="/messages/"]') : null;
  }

  function select(row) {
    var previous = currentRow();
    if (previous) {
      previous.classList.remove('current');
      previous.removeAttribute('aria-current');
    }
    row.classList.add('current');
    row.setAttribute('aria-current', 'true');
    var link = rowLink(row);
    if (link) {
      link.focus();
    }
  }

  function move(step) {
    var all = rows();
    if (all.length === 0) {
      return;
    }
    var index = all.indexOf(currentRow());
    // focus inside a row (Tab, a click) makes it the current one
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest('#message-list tbody tr[data-uid]') : null;
    if (focused) {
      index = all.indexOf(focused);
    }
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
  }

  function go(path) {
    window.location.assign(path);
  }

  function compose(mode, uid) {
    var url = base + '/compose';
    if (mode) {
      url += '?mode=' + mode + '&reply=' + encodeURIComponent(uid) + '&folder=' + encodeURIComponent(folder);
    }
    go(url);
  }

  /** POSTs a message action (delete, unread) as a plain form, with the CSRF token. */
  function act(action, uid) {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = base + '/messages/actions';
    form.hidden = true;
    var fields = { folder: folder, uid: uid, action: action, _csrf: meta('_csrf') };
    Object.keys(fields).forEach(function (name) {
      if (fields[name] === null) {
        return;
      }
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  /** The shortcuts of this page, by key; the help dialog lists the same (mail.html). */
  function shortcuts() {
    var keys = { '?': function () { if (help && help.open) { closeHelp(); } else { openHelp(); } } };
    if (!readOnly) {
      keys.c = function () { compose(null); };
    }
    if (page === 'list') {
      keys.j = function () { move(1); };
      keys.k = function () { move(-1); };
      var open = function () {
        var link = rowLink(currentRow());
        if (link) {
          go(link.getAttribute('href'));
        }
      };
      keys.o = open;
      keys.Enter = open;
      keys['/'] = function () {
        var field = document.querySelector('#mail-search input:not([type="hidden"])');
        if (field) {
          field.focus();
        }
      };
      if (!readOnly) {
        keys['#'] = function () { var row = currentRow(); if (row) { act('delete', row.getAttribute('data-uid')); } };
        keys.u = function () { var row = currentRow(); if (row) { act('unread', row.getAttribute('data-uid')); } };
      }
    } else if (page === 'message') {
      var uid = root.getAttribute('data-uid');
      if (!readOnly) {
        keys.r = function () { compose('reply', uid); };
        keys.a = function () { compose('reply-all', uid); };
        keys.f = function () { compose('forward', uid); };
        keys['#'] = function () { act('delete', uid); };
      }
      keys.u = function () {
        var back = document.getElementById('back-to-list');
        go(back ? back.getAttribute('href') : base + '?folder=' + encodeURIComponent(folder));
      };
    }
    return keys;
  }

  var keys = shortcuts();

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing
        || typing(event.target)) {
      return;
    }
    if (help && help.open && event.key !== '?') {
      return;
    }
    // Enter on a link or button does what it always does; it opens the current row from elsewhere
    if (event.key === 'Enter' && event.target.closest && event.target.closest('a, button, summary')) {
      return;
    }
    var action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  banner = newMailRegion();
  schedule();
}());
