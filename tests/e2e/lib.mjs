// Shared harness of the end-to-end tests: the browser (Debian's Chromium through
// playwright-core; playwright's own browsers are never downloaded), a fresh context per test,
// the users made by run.sh, and helpers for what every test does (sign in, submit a form,
// wait for a condition, take a screenshot).
//
// Environment (set by run.sh): E2E_BASE_URL, E2E_BACKEND, E2E_USERS (JSON: role key ->
// {username, password, role, org}), E2E_SCREENSHOTS, E2E_SERVER_LOG, E2E_CHROMIUM.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
 * browser) and page. The browser is launched once per file. On failure the page is saved
 * (screenshot and HTML) under E2E_SCREENSHOTS/failures/. Every test also fails when a page
 * script throws, when a page's own resource (style, script, image) fails to load, when the
 * server answers 5xx, or when a page loads anything from another origin (the workstation must
 * work without the internet).
 */
export function e2e(name, fn, options = {}) {
  test(name, { timeout: TEST_TIMEOUT, ...options }, async (t) => {
    if (!browser) browser = await launchBrowser();
    const context = await browser.newContext({
      baseURL: BASE_URL,
      viewport: { width: 1366, height: 768 },
      locale: 'kk-KZ',
      timezoneId: 'Asia/Almaty',
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

export { assert };
