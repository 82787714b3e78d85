/* Mailroom pages: CSRF for htmx, copy-to-clipboard, downloads, menus and confirmation panels. No inline script anywhere (CSP). */
(function () {
  'use strict';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  function announce(text) {
    var live = document.getElementById('live');
    if (live) {
      live.textContent = '';
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
  }

  // htmx: send the CSRF token as a header, and say where errors should be shown (data-errors).
  document.addEventListener('htmx:configRequest', function (event) {
    var header = meta('_csrf_header');
    var token = meta('_csrf');
    if (header && token) {
      event.detail.headers[header] = token;
    }
    // page-level messages describe the previous action; they would mislead next to this one's result
    var flash = document.getElementById('flash');
    if (flash) {
      flash.textContent = '';
    }
    var source = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest('[data-errors]') : null;
    if (source) {
      var slot = document.querySelector(source.getAttribute('data-errors'));
      if (slot) {
        slot.textContent = '';
      }
      event.detail.headers['X-Errors-Target'] = source.getAttribute('data-errors');
    }
  });

  // After a swap, move focus to new content that asks for it (a just-created token, a verified domain).
  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail.elt;
    var focus = target && target.matches && target.matches('[data-focus]') ? target
      : (target && target.querySelector ? target.querySelector('[data-focus]') : null);
    if (!focus) {
      focus = document.querySelector('[data-focus]');
    }
    if (focus) {
      focus.focus();
    }
  });

  function copyWithSelection(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch (error) {
      return false;
    } finally {
      document.body.removeChild(area);
    }
  }

  function copyText(text) {
    var fallback = function () {
      return copyWithSelection(text) ? Promise.resolve() : Promise.reject(new Error('copy refused'));
    };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(fallback);
    }
    return fallback();
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-copy], [data-copy-from]') : null;
    if (button) {
      var text = button.getAttribute('data-copy');
      if (text === null) {
        var source = document.querySelector(button.getAttribute('data-copy-from'));
        text = source ? source.textContent.trim() : '';
      }
      var label = button.textContent;
      copyText(text).then(function () {
        button.textContent = 'Copied';
        button.classList.add('copied');
        announce('Copied to the clipboard');
      }, function () {
        button.textContent = 'Select and copy';
        announce('Could not copy automatically; select the text and copy it');
      }).then(function () {
        window.setTimeout(function () {
          button.textContent = label;
          button.classList.remove('copied');
        }, 2000);
      });
      return;
    }
    var download = event.target.closest ? event.target.closest('[data-download-from]') : null;
    if (download) {
      // a file made in the browser from what the page shows; nothing is fetched or stored on the server
      var from = document.querySelector(download.getAttribute('data-download-from'));
      var blob = new Blob([from ? from.textContent.trim() + '\n' : ''], { type: 'text/csv;charset=utf-8' });
      var url = URL.createObjectURL(blob);
      var link = document.createElement('a');
      link.href = url;
      link.download = download.getAttribute('data-filename') || 'download.csv';
      link.className = 'offscreen';
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      announce('Download started');
      return;
    }
    // a click outside an open menu closes it
    Array.prototype.forEach.call(document.querySelectorAll('details.menu[open]'), function (menu) {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
    var close = event.target.closest ? event.target.closest('[data-close-details]') : null;
    if (close) {
      var details = close.closest('details');
      if (details) {
        details.open = false;
        var summary = details.querySelector('summary');
        if (summary) {
          summary.focus();
        }
      }
    }
  });

  // The header's menu button (narrow screens only, by CSS): it shows and hides the navigation and
  // account links. Without this script the button stays hidden and the links stay shown.
  function setUpSiteMenu() {
    var toggle = document.getElementById('menu-toggle');
    var topbar = toggle ? toggle.closest('.topbar') : null;
    if (!topbar) {
      return;
    }
    function show(open) {
      toggle.setAttribute('aria-expanded', String(open));
      topbar.classList.toggle('menu-closed', !open);
    }
    show(false);
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      show(toggle.getAttribute('aria-expanded') !== 'true');
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true' && toggle.offsetParent !== null) {
        show(false);
        toggle.focus();
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUpSiteMenu);
  }
  else {
    setUpSiteMenu();
  }

  // Escape closes an open confirmation panel.
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      var open = document.activeElement && document.activeElement.closest
        ? document.activeElement.closest('details[open]') : null;
      if (open) {
        open.open = false;
        var summary = open.querySelector('summary');
        if (summary) {
          summary.focus();
        }
      }
    }
  });

  // Page load: focus content that asks for it (e.g. the token shown once after a plain form post).
  document.addEventListener('DOMContentLoaded', function () {
    var focus = document.querySelector('[data-focus]');
    if (focus) {
      focus.focus();
    }
  });
}());

/* Invitations: a checkbox that enables a button ("I have saved my recovery code" → "Continue"), and
   "select all" for the bulk actions on invites. */
(function () {
  'use strict';

  function sync(box) {
    var target = document.querySelector(box.getAttribute('data-enables'));
    if (target) {
      target.disabled = !box.checked;
    }
  }

  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!box.matches) {
      return;
    }
    if (box.matches('input[type="checkbox"][data-enables]')) {
      sync(box);
    }
    if (box.matches('input[type="checkbox"][data-check-all]')) {
      var selector = 'input[type="checkbox"][name="ids"][form="' + box.getAttribute('data-check-all') + '"]';
      Array.prototype.forEach.call(document.querySelectorAll(selector), function (each) {
        each.checked = box.checked;
      });
    }
  });

  // without script the checkbox is simply required; with it, the button waits for the tick
  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('input[type="checkbox"][data-enables]'), sync);
  });
}());

/* Shared mailboxes: the team picker — a filter box that hides the mailboxes whose address or name
   does not match (client-side only; the boxes stay in the form), and how many are ticked. */
(function () {
  'use strict';

  function update(picker) {
    var filter = picker.querySelector('[data-picker-filter]');
    var query = filter ? filter.value.trim().toLowerCase() : '';
    var items = picker.querySelectorAll('.pick');
    var shown = 0;
    Array.prototype.forEach.call(items, function (item) {
      var matches = query === '' || item.textContent.toLowerCase().indexOf(query) !== -1;
      item.hidden = !matches;
      if (matches) {
        shown++;
      }
    });
    var none = picker.querySelector('[data-picker-empty]');
    if (none) {
      none.hidden = shown !== 0;
    }
    var count = picker.querySelector('[data-picker-count]');
    if (count) {
      var ticked = picker.querySelectorAll('input[type="checkbox"]:checked').length;
      count.textContent = ticked + ' of ' + items.length + ' selected';
    }
  }

  function updateAll() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-picker]'), update);
  }

  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-picker-filter]')) {
      update(event.target.closest('[data-picker]'));
    }
  });

  document.addEventListener('change', function (event) {
    var picker = event.target.closest ? event.target.closest('[data-picker]') : null;
    if (picker && event.target.matches('input[type="checkbox"]')) {
      update(picker);
    }
  });

  // Enter in the filter box filters; it must not submit the form around it
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target.matches && event.target.matches('[data-picker-filter]')) {
      event.preventDefault();
    }
  });

  document.addEventListener('DOMContentLoaded', updateAll);
  document.addEventListener('htmx:afterSettle', updateAll);
}());
