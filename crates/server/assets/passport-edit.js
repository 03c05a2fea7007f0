// The passport editor (issue 17): rows added and removed at once. Without this script every
// "Add …" button sends the form and the server sends it back with one more empty row, and a
// checked "Remove … when saving" box drops its row when the form is saved; with it, an "Add …"
// button of a group that has a row copies its last row — empty, numbered next, its problems
// left behind — and puts the focus in it, and a checked remove box marks its row at once.
// A group with no row yet is still given its first by the server.
(function () {
  function idOf(path) {
    return 'f-' + path.replace(/[[.]/g, '-').replace(/]/g, '');
  }
  var ATTRS = ['name', 'id', 'for', 'value', 'data-row', 'aria-describedby'];

  function renumber(el, from, to) {
    ATTRS.forEach(function (a) {
      var v = el.getAttribute(a);
      if (v === null) return;
      if (a === 'value' && el.tagName !== 'BUTTON') return;
      el.setAttribute(a, v.split(from).join(to).split(idOf(from)).join(idOf(to)));
    });
    if ((el.getAttribute('aria-describedby') || '').endsWith('-error')) el.removeAttribute('aria-describedby');
    el.removeAttribute('aria-invalid');
    el.removeAttribute('autofocus');
  }

  function empty(control) {
    if (control.type === 'checkbox') control.checked = control.defaultChecked = false;
    else if (control.tagName === 'SELECT') control.selectedIndex = 0;
    else if (control.tagName === 'TEXTAREA') control.value = control.textContent = '';
    else if (control.type !== 'hidden') control.value = control.defaultValue = '';
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('#passport-editor button[name=add]');
    if (!button) return;
    var group = button.value;
    var rows = Array.prototype.filter.call(button.parentElement.children, function (c) {
      return c.hasAttribute('data-row');
    });
    if (rows.length === 0) return;
    var last = rows[rows.length - 1];
    var n = rows.length;
    var from = group + '[' + (n - 1) + ']';
    var to = group + '[' + n + ']';
    if (last.getAttribute('data-row') !== from) return;
    event.preventDefault();
    var row = last.cloneNode(true);
    row.querySelectorAll('[data-row]').forEach(function (r) { r.remove(); });
    row.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    renumber(row, from, to);
    row.querySelectorAll('*').forEach(function (el) { renumber(el, from, to); });
    row.querySelectorAll('input, textarea, select').forEach(empty);
    row.classList.remove('removing');
    // The row's number in its legend and in its remove box's label.
    var words = [row.querySelector(':scope > legend'), row.querySelector(':scope > .remove label')];
    words.forEach(function (w) {
      if (w) w.textContent = w.textContent.replace(String(n), String(n + 1));
    });
    last.insertAdjacentElement('afterend', row);
    var first = row.querySelector('input:not([type=checkbox]):not([type=hidden]), textarea, select');
    if (first) first.focus();
  });

  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('#passport-editor .remove input[type=checkbox]')) return;
    var row = box.closest('[data-row]');
    if (row) row.classList.toggle('removing', box.checked);
  });
})();
