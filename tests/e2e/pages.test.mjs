// The workstation's pages as a whole (issue 16, B.10 and B.11):
//
// - an unknown address is a 404 page in the visitor's language (kk, ru, en from the browser's
//   language; the account's once signed in) with the way home, accessible (axe-core, WCAG 2.1
//   A/AA) at 1366×768 and at 390×844; an unknown address under /api/ stays JSON;
// - at phone width the inbox and the administrator's tables are cards: the page does not
//   scroll sideways and neither does the table inside its frame, each cell named by its column;
// - the Kazakh header fits at 1366 px: nothing leaves the window, nothing overlaps, the menu on
//   one line;
// - the icon is linked and served with its caching;
// - the demo data has open overdue and nearing applications in the operator's akimat.

import {
  assert,
  AXE_FAILING,
  axe,
  e2e,
  formatViolation,
  horizontalOverflow,
  htmlLang,
  rowNumbers,
  screenshot,
  signIn,
  textOf,
  user,
  VIEWPORTS,
  visit,
} from './lib.mjs';

/** Fails on a serious or critical axe-core violation of the page as it is now. */
async function accessible(page, where) {
  const failing = (await axe(page)).filter((v) => AXE_FAILING.includes(v.impact));
  assert.deepEqual(
    failing.map((v) => formatViolation(v, where)),
    [],
    `accessibility of ${where}`,
  );
}

/** The page is no wider than the window (document.documentElement.scrollWidth <= innerWidth). */
async function noSidewaysScroll(page, where) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${where}: the page is ${scroll}px wide in a ${inner}px window: ${await horizontalOverflow(page)}`);
}

const NOT_FOUND = {
  kk: { locale: 'kk-KZ', title: 'Табылмады', home: 'Бастапқы бетке' },
  ru: { locale: 'ru-RU', title: 'Не найдено', home: 'На начальную страницу' },
  en: { locale: 'en-GB', title: 'Not found', home: 'To the start page' },
};

for (const [lang, expected] of Object.entries(NOT_FOUND)) {
  e2e(
    `an unknown address is a 404 page in ${lang}, accessible at both sizes`,
    async ({ page }) => {
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(viewport);
        await visit(page, '/no-such-page/here', 404);
        assert.equal(await htmlLang(page), lang);
        assert.equal(await textOf(page, '[data-testid=not-found] h1'), expected.title);
        const home = page.locator('[data-testid=not-found] a[href="/"]');
        assert.equal(((await home.textContent()) ?? '').trim(), expected.home);
        await accessible(page, `${size} 404 (${lang})`);
        await noSidewaysScroll(page, `${size} 404 (${lang})`);
        await screenshot(page, `not-found-${lang}-${size}`);
      }
      // The way home leads to the sign-in form, in the same language.
      await Promise.all([page.waitForURL(/\/sign-in/), page.locator('[data-testid=not-found] a[href="/"]').click()]);
      assert.equal(await htmlLang(page), lang);
      // The API's unknown addresses stay JSON, in the same language.
      const api = await page.request.get('/api/v1/no-such-thing', { headers: { 'Accept-Language': expected.locale } });
      assert.equal(api.status(), 404);
      assert.match(api.headers()['content-type'], /^application\/json/);
      assert.equal((await api.json()).error.code, 'not_found');
    },
    { context: { locale: expected.locale, bypassCSP: true } },
  );
}

e2e(
  'a signed-in user gets the 404 page in the account language, with the workstation header',
  async ({ page }) => {
    await signIn(page, user('operator'));
    await visit(page, '/work/nothing/here', 404);
    assert.equal(await htmlLang(page), 'kk');
    assert.equal(await textOf(page, '[data-testid=not-found] h1'), NOT_FOUND.kk.title);
    assert.equal(await textOf(page, '[data-testid=user]'), user('operator').username);
    // A form's address opened as a link: 405, and the same page, not the API's JSON.
    await visit(page, '/sign-out', 405);
    assert.equal(await textOf(page, '[data-testid=not-found] h1'), NOT_FOUND.kk.title);
    await visit(page, '/work/nothing/here', 404);
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await accessible(page, `${size} signed-in 404`);
      await noSidewaysScroll(page, `${size} signed-in 404`);
    }
  },
  // A browser asking for Russian: the account's Kazakh wins.
  { context: { locale: 'ru-RU', bypassCSP: true } },
);

/**
 * At phone width the table `selector` is shown as cards: it fits its frame (no scrolling inside
 * it either), and each labelled cell shows its column's name before its value.
 */
async function cards(page, selector, where) {
  await noSidewaysScroll(page, where);
  const fit = await page.evaluate((sel) => {
    const table = document.querySelector(sel);
    if (!table) return null;
    const wrap = table.closest('.table-wrap') ?? table.parentElement;
    const cell = table.querySelector('tbody td[data-label]');
    return {
      table: table.scrollWidth,
      wrap: wrap.clientWidth,
      display: getComputedStyle(table.querySelector('tbody tr') ?? table).display,
      label: cell ? getComputedStyle(cell, '::before').content : null,
      expected: cell ? cell.dataset.label : null,
    };
  }, selector);
  assert.ok(fit, `${where}: ${selector} is on the page`);
  assert.ok(fit.table <= fit.wrap + 1, `${where}: ${selector} is ${fit.table}px wide in a ${fit.wrap}px frame`);
  assert.equal(fit.display, 'block', `${where}: the rows of ${selector} are cards`);
  assert.ok(fit.expected, `${where}: the cells of ${selector} name their column`);
  assert.equal(fit.label, JSON.stringify(fit.expected), `${where}: the column's name is shown`);
}

e2e(
  'the inbox at phone width: cards, no sideways scrolling; overdue and nearing applications are there',
  async ({ page }) => {
    await signIn(page, user('operator'));
    for (const [query, what] of [
      ['?pending=true&overdue=true&sort=due', 'overdue'],
      ['?nearing=true&sort=due', 'nearing'],
    ]) {
      await visit(page, `/work${query}`);
      const numbers = await rowNumbers(page, 'table#inbox');
      assert.ok(numbers.length > 0, `the demo data has open ${what} applications in ${user('operator').org}`);
      await cards(page, 'table#inbox', `phone inbox (${what})`);
      const badge = what === 'overdue' ? '.badge-overdue' : '.badge-nearing';
      assert.ok(await page.locator(`table#inbox tbody tr ${badge}`).first().isVisible(), `the ${what} badge is shown`);
    }
    await screenshot(page, 'phone-inbox-cards');
  },
  { context: { viewport: VIEWPORTS.phone } },
);

e2e(
  "the administrator's tables at phone width: cards, no sideways scrolling",
  async ({ page }) => {
    await signIn(page, user('administrator'));
    for (const [path, table] of [
      ['/admin/users', 'table#users'],
      ['/admin/organizations', 'table#organizations'],
      ['/admin/services', 'table#services'],
      ['/admin/tokens', 'table#tokens'],
    ]) {
      await visit(page, path);
      if ((await page.locator(`${table} tbody tr`).count()) === 0) continue;
      await cards(page, table, `phone ${path}`);
    }
    await visit(page, '/admin/organizations');
    await screenshot(page, 'phone-admin-organizations-cards');
  },
  { context: { viewport: VIEWPORTS.phone } },
);

/** What in the header leaves the window or overlaps another of its items; [] when nothing. */
async function headerProblems(page) {
  return page.evaluate(() => {
    const header = document.querySelector('header.top');
    const width = window.innerWidth;
    const items = [...header.querySelectorAll('a, button, [data-testid=user], .account .muted')].filter(
      (el) => el.getBoundingClientRect().width > 0 && !el.classList.contains('skip'),
    );
    const name = (el) => `${el.tagName.toLowerCase()} "${el.textContent.trim()}"`;
    const out = [];
    if (header.scrollWidth > header.clientWidth + 1) out.push(`the header is ${header.scrollWidth}px wide in ${header.clientWidth}px`);
    const boxes = items.map((el) => [el, el.getBoundingClientRect()]);
    for (const [el, r] of boxes) {
      if (r.left < 0 || r.right > width + 1) out.push(`${name(el)} reaches ${Math.round(r.left)}..${Math.round(r.right)}px`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const overlap = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1 && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 1;
        if (overlap) out.push(`${name(a)} overlaps ${name(b)}`);
      }
    }
    const tops = [...header.querySelectorAll('nav ul > li')].map((li) => Math.round(li.getBoundingClientRect().top));
    if (new Set(tops).size > 1) out.push(`the menu takes ${new Set(tops).size} lines`);
    return out;
  });
}

for (const role of ['administrator', 'analyst', 'operator']) {
  e2e(`the Kazakh header of the ${role} fits at 1366 px`, async ({ page }) => {
    await signIn(page, user(role));
    assert.equal(await htmlLang(page), 'kk');
    assert.deepEqual(await headerProblems(page), [], `the ${role}'s header at 1366×768`);
    const height = await page.locator('header.top').evaluate((h) => h.getBoundingClientRect().height);
    assert.ok(height <= 110, `the header is ${height}px tall`);
    await screenshot(page, `header-kk-${role}`);
  });
}

e2e('the icon is linked and served with its caching', async ({ page }) => {
  await visit(page, '/sign-in');
  assert.equal(await page.locator('link[rel=icon]').getAttribute('href'), '/assets/favicon.svg');
  for (const path of ['/assets/favicon.svg', '/favicon.ico']) {
    const r = await page.request.get(path);
    assert.equal(r.status(), 200, path);
    assert.equal(r.headers()['content-type'], 'image/svg+xml', path);
    assert.equal(r.headers()['cache-control'], 'public, max-age=86400', path);
    assert.match(await r.text(), /^<svg /, path);
  }
  // The browser takes it as an image.
  const size = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
        img.onerror = () => resolve(null);
        img.src = '/assets/favicon.svg';
      }),
  );
  assert.ok(size && size[0] > 0 && size[1] > 0, `the icon renders: ${size}`);
});
