// The kiosk (001 §6; issue 18, points 2 and 5). A purpose button takes a ticket through the
// server and shows it to print; a second touch is ignored, and the page's Idempotency-Key
// makes a resent form the same ticket. While the server answers, the kiosk keeps a range of
// the day's numbers (POST /office/{code}/range). When the server cannot be reached — or the
// office runs the live queue — it goes on from that range: the ticket is printed from the
// browser, and a `taken` entry is kept in the browser's storage; the journal is sent back
// (POST /office/{code}/journal) as soon as the server answers, and kept until it has been.
(() => {
  'use strict';
  const body = document.body;
  const form = document.getElementById('kiosk-form');
  const printed = document.getElementById('kiosk-printed');
  const banner = document.getElementById('kiosk-live');
  const office = body.dataset.office;
  const csrf = body.dataset.csrf;
  const key = `qyzmet.kiosk.${office}`;
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());

  // The server-rendered printed ticket (no script): print at once, back after 30 s.
  const print = document.getElementById('print');
  if (print) {
    print.addEventListener('click', () => window.print());
    const again = document.getElementById('again');
    setTimeout(() => { window.location.href = again.href; }, 30000);
  }
  if (!form) return;

  function load() {
    let s = null;
    try { s = JSON.parse(localStorage.getItem(key)); } catch (_) { s = null; }
    if (!s || !s.device) s = { device: `kiosk-${crypto.randomUUID().slice(0, 8)}`, day: today(), ranges: [], journal: [] };
    if (s.day !== today() && s.journal.length === 0) s = { ...s, day: today(), ranges: [] };
    return s;
  }
  let state = load();
  const save = () => localStorage.setItem(key, JSON.stringify(state));
  save();
  const left = () => state.ranges.reduce((n, r) => n + (r.last - r.next + 1), 0);

  async function post(path, payload) {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(5000),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return r.json();
  }

  // Sends the journal, then tops the range up; quietly retried while the server is away.
  async function sync() {
    try {
      if (state.journal.length > 0) {
        const sent = state.journal.slice();
        await post(`/office/${office}/journal`, { device: state.device, day: state.day, entries: sent });
        const ids = new Set(sent.map((e) => e.id));
        state.journal = state.journal.filter((e) => !ids.has(e.id));
        if (state.day !== today()) state = { ...state, day: today(), ranges: [] };
        save();
      }
      if (left() < 10) {
        const r = await post(`/office/${office}/range`, { device: state.device, size: 50 });
        state.ranges.push({ first: r.first, last: r.last, next: r.first });
        save();
      }
      body.dataset.synced = String(Date.now());
      if (state.journal.length === 0) banner.hidden = true;
    } catch (_) {
      // Still away: the next round tries again.
    }
  }

  function show(t, live) {
    const field = (n) => printed.querySelector(`[data-field="${n}"]`);
    field('number').textContent = t.number;
    field('purpose').textContent = t.label;
    field('time').textContent = t.time;
    field('ahead-line').hidden = live;
    field('live-line').hidden = !live;
    if (!live) {
      field('position').textContent = String(t.position ?? 0);
      field('wait').textContent = String(t.wait_minutes ?? 0);
    }
    field('qr').innerHTML = live ? '' : t.qr;
    field('link-line').hidden = live;
    if (!live) field('link').href = t.link;
    banner.hidden = !live;
    form.hidden = true;
    printed.hidden = false;
    document.querySelectorAll('.kiosk-check-in').forEach((f) => { f.hidden = true; });
  }

  function fromRange(button, data) {
    const r = state.ranges.find((x) => x.next <= x.last);
    if (!r) throw new Error('no numbers left');
    const n = r.next;
    r.next += 1;
    const number = `${button.dataset.letter}${String(n).padStart(3, '0')}`;
    const entry = { id: crypto.randomUUID(), kind: 'taken', number, at: new Date().toISOString() };
    if (data.get('priority')) entry.priority = data.get('priority');
    if (data.get('service_code')) entry.service_code = data.get('service_code');
    state.journal.push(entry);
    save();
    const time = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit' }).format(new Date());
    show({ number, label: button.dataset.label, time }, true);
  }

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = event.submitter;
    const data = new FormData(form, button);
    try {
      let answer = null;
      try {
        const r = await fetch(form.action, {
          method: 'POST',
          headers: { Accept: 'application/json' },
          body: new URLSearchParams(data),
          signal: AbortSignal.timeout(5000),
        });
        if (r.status >= 500) {
          answer = null; // The server answers, but cannot serve the queue.
        } else {
          let json = null;
          try {
            json = await r.json();
          } catch (_) {
            // Not the kiosk's answer (the session ended: the sign-in page): start again.
            window.location.reload();
            return;
          }
          answer = { status: r.status, json };
        }
      } catch (_) {
        answer = null; // The server cannot be reached.
      }
      if (answer && answer.status < 300) {
        show({ ...answer.json, label: button.dataset.label, time: answer.json.taken_at }, false);
      } else if (!answer || answer.json?.error?.code === 'queue_live') {
        fromRange(button, data);
      } else {
        alert(answer.json?.error?.message ?? String(answer.status));
      }
    } catch (e) {
      alert(e.message);
    } finally {
      busy = false;
    }
  });

  document.getElementById('kiosk-print').addEventListener('click', () => window.print());
  document.getElementById('kiosk-again').addEventListener('click', () => {
    window.location.href = `/kiosk/${office}?lang=${body.dataset.lang}`;
  });
  sync();
  setInterval(sync, 3000);
})();
