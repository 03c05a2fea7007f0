// The digital ticket (001 §12): the office's feed tells when anything moves in the queue;
// the ticket is then read again (`GET /api/v1/tickets/{id}`, at most once a second) and the
// page shows its state, position and wait. When this ticket is called, the phone vibrates.
(() => {
  'use strict';
  const box = document.querySelector('.digital-ticket');
  if (!box) return;
  const id = box.dataset.ticket;
  const number = box.dataset.number;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  let pending = null;

  function show(t) {
    box.dataset.state = t.state;
    box.querySelectorAll('[data-when]').forEach((el) => {
      el.hidden = !el.dataset.when.split(' ').includes(t.state);
    });
    if (t.position != null) field('position').textContent = String(t.position);
    if (t.estimated_wait_secs != null) {
      field('wait').textContent = String(Math.ceil(t.estimated_wait_secs / 60));
    }
    if (t.counter != null) field('counter').textContent = String(t.counter);
  }

  async function refresh() {
    pending = null;
    try {
      const r = await fetch(`/api/v1/tickets/${encodeURIComponent(id)}`, {
        headers: { Accept: 'application/json' },
      });
      if (r.ok) show(await r.json());
    } catch (_) {
      // Offline for a moment: the next event reads it again.
    }
  }

  function soon() {
    if (!pending) pending = setTimeout(refresh, 1000);
  }

  const source = new EventSource(box.dataset.stream);
  source.addEventListener('called', (e) => {
    const ev = JSON.parse(e.data);
    if (ev.number === number) {
      show({ state: 'called', counter: ev.counter });
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    }
    soon();
  });
  source.addEventListener('moved', soon);
  source.addEventListener('snapshot', soon);
  source.addEventListener('resync', soon);
})();
