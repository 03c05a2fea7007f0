// The kiosk (001 §6): a purpose button sends the form once (a second touch is ignored; the
// page's Idempotency-Key makes a resent form the same ticket anyway); a printed ticket is
// printed at once and the kiosk returns to its start after 30 seconds.
(() => {
  'use strict';
  const form = document.getElementById('kiosk-form');
  if (form) {
    form.addEventListener('submit', () => {
      setTimeout(() => form.querySelectorAll('button').forEach((b) => { b.disabled = true; }), 0);
    });
  }
  const print = document.getElementById('print');
  if (print) {
    print.addEventListener('click', () => window.print());
    const again = document.getElementById('again');
    setTimeout(() => { window.location.href = again.href; }, 30000);
  }
})();
