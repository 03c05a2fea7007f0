// The operator's counter (001 §6; issue 18, point 5). When the server cannot be reached,
// the counter switches to the live queue: the operator calls visitors by the numbers on their
// tickets and records call, start, finish or no-show here; each visit becomes a `served`
// entry of a journal kept in the browser's storage, sent back (POST /office/{code}/journal)
// as soon as the server answers, and kept until it has been.
(() => {
  'use strict';
  const screen = document.querySelector('.counter-screen');
  if (!screen) return;
  const { office, window: win, csrf } = screen.dataset;
  const panel = document.getElementById('counter-live');
  const key = `qyzmet.counter.${office}.${win}`;
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
  let state;
  try { state = JSON.parse(localStorage.getItem(key)); } catch (_) { state = null; }
  if (!state) state = { day: today(), journal: [], current: null };
  const save = () => {
    localStorage.setItem(key, JSON.stringify(state));
    document.getElementById('live-unsent').textContent = String(state.journal.length);
    document.getElementById('live-current').textContent = state.current ? state.current.number : '—';
  };
  save();
  if (state.current || state.journal.length > 0) panel.hidden = false;

  // A form is sent as usual when the server answers (asked first, briefly); otherwise the
  // live queue's panel takes over.
  screen.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    let up = false;
    try {
      up = (await fetch('/readyz', { cache: 'no-store', signal: AbortSignal.timeout(3000) })).ok;
    } catch (_) {
      up = false;
    }
    if (up) {
      form.submit();
    } else {
      panel.hidden = false;
      panel.scrollIntoView();
    }
  });

  const now = () => new Date().toISOString();
  panel.addEventListener('click', (event) => {
    const action = event.target.dataset && event.target.dataset.live;
    if (!action) return;
    if (action === 'call') {
      const typed = document.getElementById('live-number').value.trim().toUpperCase();
      const m = typed.match(/^([ABCS])-?(\d{1,4})$/);
      if (!m) return;
      if (state.current) state.journal.push(state.current);
      state.current = {
        id: crypto.randomUUID(), kind: 'served', number: `${m[1]}${m[2].padStart(3, '0')}`,
        window: Number(win), called_at: now(),
      };
    } else if (state.current && action === 'start') {
      state.current.started_at = now();
    } else if (state.current && (action === 'finish' || action === 'no-show')) {
      if (action === 'finish') state.current.finished_at = now();
      else state.current.no_show = true;
      state.journal.push(state.current);
      state.current = null;
    }
    save();
  });

  async function sync() {
    if (state.journal.length === 0) return;
    const sent = state.journal.slice();
    try {
      const r = await fetch(`/office/${office}/journal`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
        body: JSON.stringify({ device: `counter-${win}`, day: state.day, entries: sent }),
        signal: AbortSignal.timeout(5000),
      });
      if (!r.ok) return;
      const ids = new Set(sent.map((e) => e.id));
      state.journal = state.journal.filter((e) => !ids.has(e.id));
      if (state.journal.length === 0 && !state.current) state.day = today();
      save();
    } catch (_) {
      // Still away: the next round tries again.
    }
  }
  setInterval(sync, 3000);
})();
