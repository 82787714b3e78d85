/* Writing a message: optional formatting (the text is always sent too, the HTML beside it) and the
   attachments' size checked before sending. Without this script the form sends plain text. */
(function () {
  'use strict';

  var form = document.getElementById('compose-form');
  if (!form) {
    return;
  }
  var text = document.getElementById('compose-text');
  var html = form.querySelector('input[name="html"]');
  var toggle = document.getElementById('compose-formatting');
  var toolbar = document.getElementById('compose-toolbar');
  var editor = document.getElementById('compose-editor');
  var files = document.getElementById('compose-attachments');
  var sizeNote = document.getElementById('compose-attachments-size');

  function escapeText(value) {
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  /* The plain text as editable lines: one block per line, so the text part keeps its line breaks. */
  function linesOf(value) {
    return value.split('\n').map(function (line) {
      return '<div>' + (line === '' ? '<br>' : escapeText(line)) + '</div>';
    }).join('');
  }

  function sync() {
    html.value = editor.innerHTML;
    text.value = editor.innerText.replace(/\n$/, '');
  }

  function formatting(on) {
    toggle.setAttribute('aria-pressed', on ? 'true' : 'false');
    toggle.textContent = on ? 'Plain text' : 'Formatting';
    toolbar.hidden = !on;
    editor.hidden = !on;
    text.hidden = on;
    if (on) {
      if (!html.value) {
        editor.innerHTML = linesOf(text.value);
      }
      sync();
      editor.focus();
    } else {
      html.value = '';
      text.value = editor.innerText.replace(/\n$/, '');
      text.focus();
    }
  }

  if (toggle && editor && html && text) {
    toggle.hidden = false;
    if (html.value) {
      // a draft written with formatting (the server sanitised it when it was saved and read back)
      editor.innerHTML = html.value;
      formatting(true);
    }
    toggle.addEventListener('click', function () {
      formatting(toggle.getAttribute('aria-pressed') !== 'true');
    });
    editor.addEventListener('input', sync);
    form.addEventListener('submit', function () {
      if (!editor.hidden) {
        sync();
      }
    });
    toolbar.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-command]');
      if (!button) {
        return;
      }
      var command = button.getAttribute('data-command');
      var value = null;
      if (command === 'createLink') {
        value = window.prompt('Link address (https://…)', 'https://');
        if (!value || !/^(https?:|mailto:)/i.test(value)) {
          return;
        }
      }
      editor.focus();
      document.execCommand(command, false, value);
      sync();
    });
  }

  if (files && sizeNote) {
    files.addEventListener('change', function () {
      var limit = Number(files.getAttribute('data-limit-mb') || 0) * 1024 * 1024;
      var total = 0;
      for (var i = 0; i < files.files.length; i++) {
        total += files.files[i].size;
      }
      var megabytes = (total / 1024 / 1024).toFixed(1);
      if (limit && total > limit) {
        sizeNote.textContent = 'These files come to ' + megabytes + ' MB: more than the mail server takes. Remove some.';
        sizeNote.className = 'field-error';
        files.setAttribute('aria-invalid', 'true');
      } else {
        sizeNote.textContent = files.files.length ? 'Attached: ' + megabytes + ' MB.' : '';
        sizeNote.className = 'hint';
        files.removeAttribute('aria-invalid');
      }
    });
  }
})();
