// Shared harness of the end-to-end tests: the browser (Debian's Chromium through
// playwright-core; playwright's own browsers are never downloaded), a fresh context per test,
// the users made by run.sh, and helpers for what every test does (sign in, submit a form,
// wait for a condition, take a screenshot), and the accessibility checks (axe-core, page width).
//
// Environment (set by run.sh): E2E_BASE_URL, E2E_BACKEND, E2E_USERS (JSON: role key ->
// {username, password, role, org}), E2E_SCREENSHOTS, E2E_SERVER_LOG, E2E_CHROMIUM.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with tests/e2e/run.sh sqlite|postgres`);
  return v;
}

export const BASE_URL = required('E2E_BASE_URL').replace(/\/$/, '');
export const BACKEND = process.env.E2E_BACKEND ?? 'unknown';
/** @type {Record<string, {username: string, password: string, role: string, org: string|null}>} */
export const USERS = JSON.parse(required('E2E_USERS'));
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? join('target', 'e2e-screenshots', BACKEND);
export const SERVER_LOG = process.env.E2E_SERVER_LOG ?? null;
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Playwright's wait for one action or condition. */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 15_000);
/** One test, from its context to its last check. */
export const TEST_TIMEOUT = Number(process.env.E2E_TEST_TIMEOUT_MS ?? 120_000);

/** Where each role lands after signing in (and on `GET /`). */
export const HOME = {
  operator: '/work',
  supervisor: '/work',
  analyst: '/analytics',
  administrator: '/admin',
};
/** The six stages of 000 §6, in order. */
export const STAGES = [
  'accepted',
  'sent_for_execution',
  'taken_into_work',
  'executed',
  'ready_for_issue',
  'closed',
];
/** IINs of the README: a valid one, and the same with a wrong check digit. */
export const IIN = { valid: '900101300017', invalid: '900101300018' };
/** A demo service the Astana akimat's operators may register through the provider channel. */
export const PREFERRED_SERVICE = 'ARCH-001';

export function user(key) {
  const u = USERS[key];
  assert.ok(u, `no e2e user ${key} in E2E_USERS`);
  return u;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

let browser = null;

/**
 * Registers a test that gets a fresh browser context (own cookies, 1366×768, a Kazakh
 * browser; `options.context` adds to or overrides these, e.g. another viewport) and page. The browser is launched once per file. On failure the page is saved
 * (screenshot and HTML) under E2E_SCREENSHOTS/failures/. Every test also fails when a page
 * script throws, when a page's own resource (style, script, image) fails to load, when the
 * server answers 5xx, or when a page loads anything from another origin (the workstation must
 * work without the internet).
 */
export function e2e(name, fn, options = {}) {
  const { context: contextOptions = {}, ...testOptions } = options;
  test(name, { timeout: TEST_TIMEOUT, ...testOptions }, async (t) => {
    if (!browser) browser = await launchBrowser();
    const context = await browser.newContext({
      baseURL: BASE_URL,
      viewport: { width: 1366, height: 768 },
      locale: 'kk-KZ',
      timezoneId: 'Asia/Almaty',
      ...contextOptions,
    });
    context.setDefaultTimeout(TIMEOUT);
    context.setDefaultNavigationTimeout(TIMEOUT * 2);
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await fn({ page, context, t });
      assert.deepEqual(problems, [], 'problems while the pages loaded');
    } catch (e) {
      await saveFailure(page, name, problems).catch(() => {});
      throw e;
    } finally {
      await context.close().catch(() => {});
    }
  });
}

after(async () => {
  if (browser) await browser.close();
  browser = null;
});

function watch(page) {
  const problems = [];
  const note = (p) => problems.includes(p) || problems.push(p);
  const origin = new URL(BASE_URL).origin;
  page.on('pageerror', (e) => note(`script error on ${page.url()}: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (/^(data|blob|about):/.test(u)) return;
    if (new URL(u).origin !== origin) note(`request to another origin: ${u}`);
  });
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (new URL(r.url()).pathname === '/favicon.ico') return;
    if (r.status() >= 500) note(`${r.status()} for ${r.request().method()} ${r.url()}`);
    else if (r.status() >= 400 && !['document', 'fetch', 'xhr'].includes(type)) {
      note(`${r.status()} for the ${type} ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    const err = r.failure()?.errorText ?? '';
    // Navigations cut short by the next one are not failures.
    if (!/ERR_ABORTED/.test(err)) note(`request failed: ${r.url()} (${err})`);
  });
  return problems;
}

function slug(s) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

async function saveFailure(page, name, problems) {
  const dir = join(SCREENSHOTS, 'failures');
  mkdirSync(dir, { recursive: true });
  const base = join(dir, slug(name) || 'test');
  await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 }).catch(() => {});
  const html = await page.content().catch(() => '');
  writeFileSync(`${base}.html`, `<!-- ${page.url()} -->\n${html}`);
  if (problems.length) writeFileSync(`${base}.problems.txt`, problems.join('\n') + '\n');
  console.error(`saved the page of the failed test to ${base}.{png,html} (${page.url()})`);
}

/** A full-page screenshot, `<E2E_SCREENSHOTS>/<name>.png`. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The path of the page's URL (`/work`), without the query. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** Asserts the status of a navigation's response (e.g. of page.goto). */
export function expectStatus(response, status, what = '') {
  assert.ok(response, `no response${what ? ` for ${what}` : ''}`);
  assert.equal(
    response.status(),
    status,
    `status of ${response.request().method()} ${response.url()}${what ? ` (${what})` : ''}`,
  );
}

/** page.goto that asserts the final response's status (200 unless told). */
export async function visit(page, path, status = 200) {
  const response = await page.goto(path);
  expectStatus(response, status, path);
  return response;
}

/**
 * Clicks `locator` (a submit button) and waits for the navigation the form's POST causes;
 * returns the navigation's final response (after redirects).
 */
/**
 * Picks the first ground a form offers from the application's passport (003 §17), when it
 * offers any; returns the option's text, or null.
 */
export async function pickGround(form) {
  const select = form.locator('select[name=ground]');
  if ((await select.count()) === 0) return null;
  const option = select.locator('option:not([value=""])').first();
  await select.selectOption(await option.getAttribute('value'));
  return option.innerText();
}

export async function submit(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return response;
}

/** Retries `check` (which throws while the condition does not hold) until it passes. */
export async function eventually(check, { timeout = TIMEOUT, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** Trimmed text of the first element matching `selector`, or null when there is none. */
export async function textOf(page, selector) {
  const l = page.locator(selector).first();
  if ((await l.count()) === 0) return null;
  return ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The text of the page's alerts (`[role=alert]`), '' when none says anything: a form may keep
 * empty alert elements beside its fields for the errors to come.
 */
export async function alertText(page) {
  return page
    .locator('[role=alert]')
    .evaluateAll((els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | '));
}

export async function count(page, selector) {
  return page.locator(selector).count();
}

export async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Signs in through the form; asserts it succeeded (no alert, away from /sign-in). */
export async function signIn(page, u) {
  await visit(page, '/sign-in');
  const form = page.locator('form#sign-in');
  await form.locator('input[name=username]').fill(u.username);
  await form.locator('input[name=password]').fill(u.password);
  await submit(page, form.locator('button[type=submit]'));
  assert.equal(await alertText(page), '', `sign-in of ${u.username} shows an alert`);
  assert.notEqual(pathOf(page), '/sign-in', `${u.username} is still on the sign-in page`);
}

export async function signOut(page) {
  await submit(page, page.locator('button[data-testid=sign-out]'));
}

/** Switches the language with the header's switcher. */
export async function switchLanguage(page, lang) {
  await submit(page, page.locator(`form#language-form button[name=lang][value=${lang}]`));
}

/** The 13-digit application numbers of the rows of `table` (a selector). */
export async function rowNumbers(page, table) {
  return page.locator(`${table} tbody tr[data-number]`).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-number')),
  );
}

/** The server's log so far ('' when run.sh did not say where it is). */
export function serverLog() {
  if (!SERVER_LOG) return '';
  try {
    return readFileSync(SERVER_LOG, 'utf8');
  } catch {
    return '';
  }
}

/** The viewports the workstation must be usable at. */
export const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
};

/** The WCAG 2.1 A and AA rules of axe-core. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The impacts that fail a test; the others are only reported. */
export const AXE_FAILING = ['serious', 'critical'];
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2.1 A/AA) on the page as it is now; returns its violations, one entry a
 * rule: `{id, impact, help, helpUrl, targets: [selector, ...]}`. The page sends a strict CSP,
 * so the context must be made with `bypassCSP: true` for the script to be injected.
 */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_SOURCE });
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
}

/** One line of a report of a violation of `axe`. */
export function formatViolation(v, where = '') {
  return `${where ? `${where}: ` : ''}[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n    ${v.targets.join('\n    ')}`;
}

/**
 * What makes the page wider than the window (so that the body scrolls sideways): [] when it is
 * not, else the widest offenders (a table inside a `.table-wrap` scrolls by itself and is not
 * one).
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth + 1) return [];
    const width = root.clientWidth;
    const describe = (el) =>
      el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) {
        const parent = el.parentElement;
        // Only the outermost offender of a branch.
        if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
        out.push(`${describe(el)} reaches ${Math.round(r.right)}px`);
      }
    }
    return [`the page is ${root.scrollWidth}px wide in a ${width}px window`, ...out.slice(0, 10)];
  });
}

/** What makes the focus of the focused element visible: its outline or box shadow, or null. */
export async function focusIndicator(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
      return `outline ${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`;
    }
    if (s.boxShadow && s.boxShadow !== 'none') return `box-shadow ${s.boxShadow}`;
    return null;
  });
}

/**
 * Walks the page with Tab from its first control (the skip link) to the last, and returns the
 * stops whose focus is not visible: no outline nor box shadow, or nothing on the screen.
 * `stops` is how many elements took the focus.
 */
export async function focusWalk(page, limit = 800) {
  const here = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      if (!el.dataset.walk) el.dataset.walk = String(document.querySelectorAll('[data-walk]').length + 1);
      const tag = el.tagName.toLowerCase();
      const what =
        tag +
        (el.id ? `#${el.id}` : '') +
        (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '') +
        (el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : '') +
        [...el.classList].map((c) => `.${c}`).join('');
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const indicated =
        (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
      return { id: el.dataset.walk, what, indicated, shown: r.width > 0 && r.height > 0 };
    });
  await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea')?.focus());
  const seen = new Set();
  const bad = [];
  let last = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await here();
    if (!f || (seen.has(f.id) && f.id !== last)) break; // out of the page, or round again
    last = f.id;
    if (seen.has(f.id)) continue; // another part of the same field (a date's day, month...)
    seen.add(f.id);
    if (!f.indicated) bad.push(`${f.what}: no outline nor box shadow when focused`);
    else if (!f.shown) bad.push(`${f.what}: takes the focus but is not on the screen`);
  }
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-walk]')) delete el.dataset.walk;
  });
  return { stops: seen.size, bad };
}

/** The messages the test SMTP server (run.sh's aiosmtpd) accepted for `address`. */
export function mailTo(address) {
  const file = process.env.E2E_MAIL_FILE;
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((m) => m.to.includes(address));
}

/// Runs one SQL statement on the server's database (QYZMET_DATABASE_URL, set by run.sh) and
/// answers its first column's values as strings: psql on PostgreSQL, Python's sqlite3 on
/// SQLite. Only for what a browser cannot do, such as bringing the clock to a scheduled
/// message's moment; everything a user does goes through the pages.
export function sql(statement) {
  const url = required('QYZMET_DATABASE_URL');
  const out = url.startsWith('sqlite:')
    ? execFileSync('python3', ['-c', [
      'import sqlite3, sys',
      'c = sqlite3.connect(sys.argv[1], timeout=30)',
      'rows = c.execute(sys.argv[2]).fetchall()',
      'c.commit()',
      'print("\\n".join(str(r[0]) for r in rows))',
    ].join('\n'), url.replace(/^sqlite:\/\//, '').replace(/\?.*$/, ''), statement], { encoding: 'utf8' })
    : execFileSync('psql', [url, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** Whether process `pid` has exited (gone, or a zombie its parent has not reaped yet). */
function exited(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/**
 * Stops the server of E2E_BASE_URL as an operator would (SIGTERM: it finishes what it is doing
 * and exits), and waits until it is gone.
 */
export async function stopServer() {
  const pid = Number(readFileSync(required('E2E_SERVER_PID_FILE'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  await eventually(() => assert.ok(exited(pid), `server ${pid} still running`), { timeout: 30_000 });
}

/**
 * Starts the server of E2E_BASE_URL again, as run.sh started it (same binary, port, database
 * and environment; its log appended), and waits until it is ready. run.sh stops it at the end.
 */
export async function startServer() {
  const log = openSync(SERVER_LOG ?? '/dev/null', 'a');
  const port = new URL(BASE_URL).port;
  const child = spawn(required('E2E_SERVER_BIN'), ['serve', '--demo', '--listen', `127.0.0.1:${port}`,
    '--database', required('QYZMET_DATABASE_URL')], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(required('E2E_SERVER_PID_FILE'), String(child.pid));
  await eventually(async () => {
    const r = await fetch(`${BASE_URL}/readyz`, { signal: AbortSignal.timeout(2_000) });
    assert.equal(r.status, 200);
  }, { timeout: 120_000, interval: 250 });
}

/** A call to the API with the administrator's token (`E2E_ADMIN_TOKEN`, made by run.sh). */
export async function adminApi(method, path, body) {
  const token = process.env.E2E_ADMIN_TOKEN;
  assert.ok(token, 'E2E_ADMIN_TOKEN is set by run.sh');
  const r = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Accept-Language': 'en' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/**
 * A front office `code` of the user `u`'s branch, open around the clock, named `name`
 * ({kk, ru, en}), with window 1 for `u` (acceptance and issue): the counter's id.
 */
export async function frontOffice(code, u, name) {
  let r = await adminApi('POST', '/api/v1/offices', {
    code, organization: u.org, kind: 'duty', name,
    address: { kk: 'Астана, Мәңгілік Ел 8', ru: 'Астана, Мангилик Ел 8' },
    schedule: { rows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: '00:00-23:59' }] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await adminApi('POST', `/api/v1/offices/${code}/counters`, {
    window: 1, purposes: ['acceptance', 'issue'], employee: u.username,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** Waits past 23:59 (Almaty), the one minute the offices of `frontOffice` leave closed. */
export async function notAtMidnight() {
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit' }).format(new Date());
  if (hm === '23:59') await new Promise((r) => setTimeout(r, 61_000));
}

export { assert };
