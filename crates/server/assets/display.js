// The hall display (issue 18, point 4; 001 §6): the office's feed as server-sent events.
// A `snapshot` draws the list, a `called` puts the ticket on top, rings a two-tone chime
// (Web Audio, no sound file) and speaks the announcement with the browser's speech synthesis
// in Kazakh then Russian (a Kazakh voice when the system has one, else the Russian voice
// reads the Kazakh text); `moved` updates or removes a ticket; `resync` reconnects for a
// fresh snapshot. Browsers allow sound only after a touch: the button switches it on.
(() => {
  'use strict';
  const body = document.body;
  const list = document.getElementById('calls');
  const offline = document.getElementById('hall-offline');
  const soundButton = document.getElementById('sound');
  const clock = document.getElementById('clock');
  const SHOWN = 12;
  let audio = null;
  // What was announced, for the page's own checks and for tests (speech is not observable).
  window.qyzmetAnnounced = [];

  soundButton.addEventListener('click', () => {
    audio = new (window.AudioContext || window.webkitAudioContext)();
    soundButton.hidden = true;
  });

  function chime() {
    if (!audio) return;
    const t = audio.currentTime;
    [880, 660].forEach((f, i) => {
      const o = audio.createOscillator();
      const g = audio.createGain();
      const at = t + i * 0.35;
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, at);
      g.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      o.connect(g).connect(audio.destination);
      o.start(at);
      o.stop(at + 0.32);
    });
  }

  function speak(ev) {
    window.qyzmetAnnounced.push([ev.say_kk, ev.say_ru]);
    if (!audio || !('speechSynthesis' in window)) return;
    const voices = speechSynthesis.getVoices();
    for (const [text, lang] of [[ev.say_kk, 'kk'], [ev.say_ru, 'ru']]) {
      if (!text) continue;
      const u = new SpeechSynthesisUtterance(text);
      const voice = voices.find((v) => v.lang.startsWith(lang)) ||
        voices.find((v) => v.lang.startsWith('ru'));
      u.lang = voice ? voice.lang : (lang === 'kk' ? 'kk-KZ' : 'ru-RU');
      if (voice) u.voice = voice;
      u.rate = 0.9;
      speechSynthesis.speak(u);
    }
  }

  function row(number, counter, state) {
    const tr = document.createElement('tr');
    tr.dataset.number = number;
    tr.className = state || 'called';
    const n = document.createElement('td');
    n.className = 'num';
    n.textContent = number;
    const w = document.createElement('td');
    w.className = 'win';
    w.textContent = counter == null ? '' : String(counter);
    tr.append(n, w);
    return tr;
  }

  function find(number) {
    return [...list.rows].find((r) => r.dataset.number === number);
  }

  function latest() {
    [...list.rows].forEach((r, i) => r.classList.toggle('latest', i === 0));
  }

  function draw(calls) {
    list.replaceChildren(...calls.map((c) => row(c.number, c.counter, c.state)));
    latest();
  }

  function called(ev) {
    const old = find(ev.number);
    if (old) old.remove();
    const tr = row(ev.number, ev.counter, 'called');
    tr.classList.add('flash');
    list.prepend(tr);
    while (list.rows.length > SHOWN) list.deleteRow(list.rows.length - 1);
    latest();
    body.dataset.lastCall = `${ev.number}@${ev.counter}#${ev.calls}`;
    chime();
    setTimeout(() => speak(ev), 800);
  }

  function moved(ev) {
    const tr = find(ev.number);
    if (!tr) return;
    if (ev.state === 'serving') {
      tr.className = 'serving';
      latest();
    } else if (ev.state !== 'called') {
      tr.remove();
      latest();
    }
  }

  let source = null;
  function connect() {
    if (source) source.close();
    source = new EventSource(body.dataset.stream);
    source.addEventListener('open', () => { offline.hidden = true; });
    source.addEventListener('error', () => { offline.hidden = false; });
    source.addEventListener('snapshot', (e) => {
      offline.hidden = true;
      draw(JSON.parse(e.data).calls);
      body.dataset.live = 'yes';
    });
    source.addEventListener('called', (e) => called(JSON.parse(e.data)));
    source.addEventListener('moved', (e) => moved(JSON.parse(e.data)));
    source.addEventListener('resync', () => connect());
  }

  function tick() {
    clock.textContent = new Date().toLocaleTimeString('ru-RU', {
      timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit',
    });
  }
  tick();
  setInterval(tick, 10000);
  connect();
})();
