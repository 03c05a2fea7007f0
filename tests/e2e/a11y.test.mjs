// Accessibility (issue 4): "labels on every control, keyboard navigation, visible focus, AA
// contrast; usable at 1366×768 and at phone width", measured.
//
// - Every role's main pages, at 1366×768 and at 390×844, are checked by axe-core against the
//   WCAG 2.1 A and AA rules; a serious or critical violation fails (the others are printed).
//   No page may scroll sideways (tables scroll inside their .table-wrap); at phone width each
//   page is kept as phone-<role>-<page>.png. At 1366×768 every page is walked with Tab from
//   top to bottom: each stop must show its focus (an outline or a box shadow) on the screen.
//   The analyst's include the violations report, a figure's applications and a quality
//   annex table (issue 5).
// - The keyboard alone: the skip link first, the registration form in visual order with a
//   visible focus, a registration done with keys only, and a stage recorded with Enter.

import {
  alertText,
  assert,
  AXE_FAILING,
  axe,
  e2e,
  eventually,
  expectStatus,
  focusIndicator,
  focusWalk,
  formatViolation,
  horizontalOverflow,
  IIN,
  pathOf,
  PREFERRED_SERVICE,
  screenshot,
  signIn,
  STAGES,
  submit,
  user,
  VIEWPORTS,
  visit,
} from './lib.mjs';

/**
 * Checks pages one after another and keeps what fails, so that one run reports every page:
 * `check(label)` runs axe on the page as it is and measures its width; then, at phone width,
 * takes a screenshot, and at the desktop's walks the page with Tab. `done()` fails the test
 * with the whole list.
 */
function checker(page, viewport, role) {
  const failures = [];
  const notes = [];
  return {
    async check(label) {
      const url = new URL(page.url());
      const where = `${viewport} ${role} ${label} (${url.pathname}${url.search})`;
      for (const v of await axe(page)) {
        (AXE_FAILING.includes(v.impact) ? failures : notes).push(formatViolation(v, where));
      }
      const overflow = await horizontalOverflow(page);
      if (overflow.length) failures.push(`${where}: scrolls sideways: ${overflow.join('; ')}`);
      if (viewport === 'phone') {
        await screenshot(page, `phone-${role}-${label}`);
      } else {
        // Focus looks the same at any width: walked once, at the desktop's.
        const walk = await focusWalk(page);
        if (walk.stops === 0) failures.push(`${where}: Tab focuses nothing`);
        for (const b of walk.bad) failures.push(`${where}: ${b}`);
      }
    },
    done() {
      if (notes.length) console.log(`accessibility notes (not failing):\n${notes.join('\n')}`);
      assert.ok(failures.length === 0, `accessibility failures:\n${failures.join('\n')}`);
    },
  };
}

async function forbidden(page, path) {
  const response = await page.goto(path);
  expectStatus(response, 403, path);
}

/** The href of the first row of the applications table `table`. */
async function firstRowHref(page, table) {
  const href = await page.locator(`${table} tbody tr[data-number] a`).first().getAttribute('href');
  assert.ok(href, `a row in ${table}`);
  return href;
}

/** An application page with its "when it happened" field opened, so that it is checked too. */
async function openWhenField(page) {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
}

/** The pages of the operator and the supervisor. */
async function workPages(page, c, role) {
  await c.check('inbox');
  await visit(page, '/work?pending=true&overdue=true&sort=due');
  await c.check('inbox-filtered');
  // A search (issue 16 B.2): the list, its total and its page links.
  await visit(page, '/work?q=%D0%9E%D0%BC%D0%B0%D1%80%D0%BE%D0%B2');
  await c.check('inbox-search');

  await visit(page, '/work/new');
  await c.check('register');
  // The IIN checked as it is typed, then a failed submit with the errors beside the fields.
  const form = page.locator('form#register');
  await form.locator('input[name=tax_id]').pressSequentially(IIN.invalid, { delay: 10 });
  await eventually(async () => {
    assert.ok((await page.locator('#tax-id-check').textContent()).trim(), '#tax-id-check says something');
  });
  await c.check('register-iin-check');
  const refused = await submit(page, form.locator('button[type=submit]'));
  assert.equal(refused.status(), 422, 'an incomplete registration is answered 422');
  assert.ok(await alertText(page), 'the errors are shown');
  await c.check('register-errors');

  await visit(page, '/work?pending=true');
  await visit(page, await firstRowHref(page, 'table#inbox'));
  assert.ok((await page.locator('form#stage-form, form#close-form').count()) > 0, 'the application has its forms');
  await openWhenField(page);
  await c.check('application');

  await visit(page, '/account/password');
  await c.check('password');
  await forbidden(page, '/admin');
  await c.check('forbidden');
}

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  const options = { context: { viewport: size, bypassCSP: true } };

  e2e(`${viewport}: the sign-in page`, async ({ page }) => {
    const c = checker(page, viewport, 'anonymous');
    await visit(page, '/sign-in');
    await c.check('sign-in');
    await page.locator('input[name=username]').fill('nobody');
    await page.locator('input[name=password]').fill('wrong password');
    await submit(page, page.locator('form#sign-in button[type=submit]'));
    assert.ok(await alertText(page), 'a wrong password is explained');
    await c.check('sign-in-error');
    c.done();
  }, options);

  e2e(`${viewport}: the operator's pages`, async ({ page }) => {
    const c = checker(page, viewport, 'operator');
    await signIn(page, user('operator'));
    await workPages(page, c, 'operator');
    c.done();
  }, options);

  e2e(`${viewport}: the supervisor's pages`, async ({ page }) => {
    const c = checker(page, viewport, 'supervisor');
    await signIn(page, user('supervisor'));
    await workPages(page, c, 'supervisor');
    c.done();
  }, options);

  e2e(`${viewport}: the analyst's pages`, async ({ page }) => {
    const c = checker(page, viewport, 'analyst');
    await signIn(page, user('analyst'));
    await c.check('dashboard');
    const drill = await page.locator('table#by-organization a[href^="/analytics?org="]').first().getAttribute('href');
    assert.ok(drill, 'an organization to drill into');
    await visit(page, drill);
    await c.check('dashboard-organization');
    await visit(page, '/analytics/applications?overdue=true');
    await c.check('list'); // with the filters shown above it; it may be empty
    await visit(page, '/analytics/applications?q=%D0%9E%D0%BC%D0%B0%D1%80%D0%BE%D0%B2&stage=accepted&accepted_on_from=2020-01-01');
    await c.check('list-search');
    await visit(page, '/analytics/applications');
    await visit(page, await firstRowHref(page, 'table#applications'));
    await c.check('application');
    // The violations report (issue 5): its charts, tables and definitions; the applications
    // behind a figure; the services and a quality annex table.
    await visit(page, '/analytics/reports/violations');
    await c.check('report');
    const figure = await page.locator('table#report-organizations td.num a').first().getAttribute('href');
    assert.ok(figure, 'a figure with a link in the report');
    await visit(page, figure);
    await c.check('report-figure-applications');
    await visit(page, '/analytics/services');
    await c.check('services');
    await visit(page, await page.locator('table#services-quality tbody a').first().getAttribute('href'));
    await c.check('quality');
    await visit(page, '/account/password');
    await c.check('password');
    await forbidden(page, '/work/new');
    await c.check('forbidden');
    c.done();
  }, options);

  e2e(`${viewport}: the administrator's pages`, async ({ page }) => {
    const c = checker(page, viewport, 'administrator');
    await signIn(page, user('administrator'));
    await c.check('admin');
    for (const section of ['organizations', 'services', 'users', 'tokens', 'calendar', 'outages', 'outbox']) {
      await visit(page, `/admin/${section}`);
      await c.check(`admin-${section}`);
    }
    await visit(page, '/analytics');
    await c.check('dashboard');
    await visit(page, '/account/password');
    await c.check('password');
    await forbidden(page, '/work');
    await c.check('forbidden');
    c.done();
  }, options);
}

/** What has the focus: `tag#id`, `tag[name=..]` or `tag.class`, and where it is. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const tag = el.tagName.toLowerCase();
    const key = el.id
      ? `${tag}#${el.id}`
      : el.getAttribute('name')
        ? `${tag}[name=${el.getAttribute('name')}]`
        : `${tag}${[...el.classList].map((c) => `.${c}`).join('')}`;
    return {
      key,
      href: el.getAttribute('href'),
      type: el.getAttribute('type'),
      value: el.value ?? null,
      top: r.top + window.scrollY,
      left: r.left + window.scrollX,
      bottom: r.bottom + window.scrollY,
    };
  });
}

/** Presses Tab until the focus leaves `current` (a date field has a stop for each part). */
async function tabOut(page, current) {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f || f.key !== current.key) return f;
  }
  assert.fail(`Tab does not leave ${current.key}`);
}

async function expectVisibleFocus(page, what) {
  const indicator = await focusIndicator(page);
  assert.ok(indicator, `the focus on ${what} is visible (an outline or a box shadow)`);
}

/** The registration form's controls, in their visual order. */
/** The fresh form's stops: until a service is chosen only the channel depends on it. */
const REGISTRATION_ORDER = [
  'input#service_code',
  'select#channel',
  'input#tax_id',
  'input#last_name',
  'input#first_name',
  'input#middle_name',
  'input#contact_email', // informing the applicant (issue 17): optional
  'input#contact_phone',
  'select#contact_language',
  'input[name=paper]',
  'input#accepted_at',
  'button', // submit
];

e2e('the keyboard alone: skip link, the registration form in order, a visible focus', async ({ page }) => {
  await signIn(page, user('operator'));
  await visit(page, '/work/new');

  // The first Tab: the skip link, visible; Enter on it moves the focus to the content.
  await page.keyboard.press('Tab');
  let f = await focused(page);
  assert.ok(f, 'Tab focuses something');
  assert.equal(f.key, 'a.skip', 'the first Tab focuses the skip link');
  assert.equal(f.href, '#main');
  await expectVisibleFocus(page, 'the skip link');
  const skip = await page.locator('a.skip').boundingBox();
  assert.ok(skip && skip.x >= 0 && skip.y >= 0 && skip.width > 0, `the focused skip link is on screen: ${JSON.stringify(skip)}`);
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal((await focused(page))?.key, 'main#main', 'Enter on the skip link focuses #main'));

  // Then the form's controls, in order, each with a visible focus, top to bottom.
  const seen = [];
  let previous = null;
  f = await tabOut(page, { key: 'main#main' });
  for (let i = 0; i < 20 && f; i++) {
    seen.push(f.key);
    await expectVisibleFocus(page, f.key);
    if (previous) {
      assert.ok(
        f.top >= previous.top - 1 || f.left > previous.left,
        `${f.key} comes after ${previous.key} on the screen (${JSON.stringify(previous)} → ${JSON.stringify(f)})`,
      );
    }
    if (f.type === 'submit') break;
    previous = f;
    f = await tabOut(page, f);
  }
  assert.deepEqual(seen, REGISTRATION_ORDER, 'the Tab order of the registration form');
  assert.equal(await page.locator(':focus').getAttribute('type'), 'submit', 'the last stop is the submit button');
});

e2e('the keyboard alone: a registration, then a stage recorded with Enter', async ({ page }) => {
  await signIn(page, user('operator'));
  await visit(page, '/work/new');
  const service = (await page
    .locator('datalist#services option')
    .evaluateAll((os) => os.map((o) => o.getAttribute('value')))).includes(PREFERRED_SERVICE)
    ? PREFERRED_SERVICE
    : await page.locator('datalist#services option').first().getAttribute('value');

  // Skip link, Enter, then the fields one Tab after another: keys only.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'input#service_code');
  await page.keyboard.type(service);
  await page.keyboard.press('Escape'); // the datalist's suggestions, if shown
  // What the service allows appears below it as it is typed (issue 16 B.5).
  await eventually(async () => assert.equal(await page.locator('select#term_variant').count(), 1, 'the term variants'));
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'select#term_variant');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'select#executor');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'select#channel');
  // The arrow keys pick the channel (a closed select changes its value with them).
  for (let i = 0; i < 5 && (await focused(page)).value !== 'provider'; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 5 && (await focused(page)).value !== 'provider'; i++) await page.keyboard.press('ArrowUp');
  assert.equal((await focused(page)).value, 'provider', 'the channel chosen with the arrows');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'input#tax_id');
  await page.keyboard.type(IIN.valid, { delay: 10 });
  await eventually(async () => {
    const cls = await page.locator('#tax-id-check *').evaluateAll((es) => es.flatMap((e) => [...e.classList]));
    assert.ok(cls.includes('valid'), `the IIN is checked as valid: ${cls}`);
  });
  for (const [key, text] of [
    ['input#last_name', 'Пернетақта'],
    ['input#first_name', 'Тестжан'],
    ['input#middle_name', 'Тексерұлы'],
  ]) {
    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.key, key);
    await page.keyboard.type(text);
  }
  // Past the optional contact of the applicant (issue 17).
  for (const key of ['input#contact_email', 'input#contact_phone', 'select#contact_language']) {
    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.key, key);
  }
  await page.keyboard.press('Tab');
  assert.equal((await focused(page))?.key, 'input[name=paper]');
  await page.keyboard.press('Space');
  assert.ok(await page.locator('input[name=paper]').isChecked(), 'Space checks the paper checkbox');
  // Past the prefilled moment of acceptance, to the submit button.
  let f = await tabOut(page, await focused(page));
  assert.equal(f?.key, 'input#accepted_at');
  f = await tabOut(page, f);
  assert.equal(f?.type, 'submit', 'then the submit button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await alertText(page), '', 'registered without an alert');
  const m = pathOf(page).match(/^\/work\/applications\/(\d{13})$/);
  assert.ok(m, `lands on the application's page, not ${page.url()}`);
  assert.equal(await page.locator('[data-testid=stage]').getAttribute('data-value'), 'accepted');

  // The stage buttons are reached with Tab and pressed with Enter.
  let button = null;
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    f = await focused(page);
    if (f?.key === 'button[name=stage]') {
      button = f;
      break;
    }
  }
  assert.ok(button, 'Tab reaches a stage button');
  await expectVisibleFocus(page, 'the stage button');
  assert.equal(button.value, STAGES[1], `the first stage button records ${STAGES[1]}`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await alertText(page), '', 'the stage recorded without an alert');
  assert.equal(pathOf(page), `/work/applications/${m[1]}`);
  assert.equal(await page.locator('[data-testid=stage]').getAttribute('data-value'), STAGES[1], 'Enter recorded the stage');
});
