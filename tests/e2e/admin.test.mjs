// The administrator's forms (issue 4): a day off added in the calendar's year view (refused
// first without its legal source, at the field), seen marked, then removed; an outage
// registered; a service created with two term variants; screenshots of the calendar and the
// services pages.

import {
  alertText,
  assert,
  count,
  e2e,
  pathOf,
  screenshot,
  signIn,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

const NEXT_YEAR = new Date().getFullYear() + 1;

/** The IIN/BIN check digit of 11 digits (MISSION "IIN and BIN"), null when never issued. */
function checkDigit(prefix) {
  const round = (weights) => [...prefix].reduce((sum, d, i) => sum + Number(d) * weights[i], 0) % 11;
  const first = round([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (first < 10) return first;
  const second = round([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return second < 10 ? second : null;
}

/** A BIN (registered in January 2024, a legal entity) no demo organization has. */
function freshBin() {
  for (let serial = 77_000; ; serial++) {
    const prefix = `240140${String(serial).padStart(5, '0')}`;
    const c = checkDigit(prefix);
    if (c !== null) return `${prefix}${c}`;
  }
}
const BIN = freshBin();
const WRONG_BIN = `${BIN.slice(0, 11)}${(Number(BIN[11]) + 1) % 10}`;

/** The first working weekday without an entry in June of next year (a plain Wednesday, say). */
async function plainWorkingDay(page) {
  const dates = await page
    .locator('#month-6 td[data-status=working]:not([data-entry])')
    .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-date')));
  const weekday = dates.find((d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()));
  assert.ok(weekday, `a working weekday in June ${NEXT_YEAR}: ${dates}`);
  return weekday;
}

e2e('the administrator adds a day off in the year view and sees it marked', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, `/admin/calendar?year=${NEXT_YEAR}`);
  assert.equal(await count(page, '#year table.month'), 12, 'twelve month grids');
  assert.equal(await count(page, '#month-1 thead th'), 7, 'seven weekdays');
  const date = await plainWorkingDay(page);

  // Choosing the day fills the form with it, offered as a day off.
  await submit(page, page.locator(`td[data-date="${date}"] a`));
  const form = page.locator('form#entry-form');
  assert.equal(await form.locator('input[name=date]').inputValue(), date);
  assert.equal(await form.locator('select[name=kind]').inputValue(), 'day_off');

  // Without its legal source: refused beside the field, in Kazakh.
  await form.locator('input[name=name]').fill('E2E demalys kuni');
  let response = await submit(page, form.locator('button[type=submit]'));
  assert.equal(response.status(), 422);
  const error = await textOf(page, '#source-error');
  assert.ok(error && error.includes('Құқықтық негіз'), `the error names the field: ${error}`);
  assert.equal(await page.locator('#c-source').getAttribute('aria-invalid'), 'true');
  assert.equal(await alertText(page), error, 'the one alert is the field error');

  await page.locator('form#entry-form textarea[name=source]').fill('Үкімет қаулысы № E2E (test)');
  response = await submit(page, page.locator('form#entry-form button[type=submit]'));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), '/admin/calendar');
  assert.ok(await textOf(page, '[data-testid=calendar-notice]'), 'the notice says what was recomputed');
  const cell = page.locator(`td[data-date="${date}"]`);
  assert.equal(await cell.getAttribute('data-status'), 'day_off');
  assert.equal(await cell.getAttribute('data-entry'), 'day_off');
  const tip = await cell.locator('a').getAttribute('title');
  assert.ok(tip.includes('Үкімет қаулысы № E2E'), `the source in the tooltip: ${tip}`);
  assert.equal(await count(page, `#calendar-entries tr[data-date="${date}"]`), 1, 'listed under the grid');
  await cell.scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-calendar-year');

  // Removed again: the weekly pattern rules the day (and the later tests see the demo calendar).
  await submit(page, page.locator(`[data-testid="remove-${date}"]`));
  assert.equal(await page.locator(`td[data-date="${date}"]`).getAttribute('data-status'), 'working');
  assert.equal(await count(page, `#calendar-entries tr[data-date="${date}"]`), 0);
});

e2e('the administrator registers an outage', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin/outages');
  const form = page.locator('form#outage-form');
  await form.locator('input[name=started_at]').fill('2026-11-23T10:00');
  await form.locator('input[name=ended_at]').fill('2026-11-23T13:30');
  const systems = form.locator('input[name=systems]');
  assert.ok((await systems.count()) > 0, 'the registered information systems are offered');
  await systems.first().check();
  await form.locator('input[name=operator]').fill('E2E operator');
  await form.locator('textarea[name=description]').fill('E2E gateway outage');
  const response = await submit(page, form.locator('button[type=submit]'));
  assert.equal(response.status(), 200);
  assert.equal(await alertText(page), '');
  assert.equal(await count(page, '[data-testid=outage-created]'), 1);
  const row = page.locator('table#outages tbody tr', { hasText: 'E2E gateway outage' });
  assert.equal(await row.count(), 1, 'the outage is listed');
  await screenshot(page, 'admin-outages-registered');
});

e2e('the administrator creates a service with two term variants', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin/services');
  await screenshot(page, 'admin-services-list');
  await page.locator('#new-service summary').click();
  const form = page.locator('form#service-form');
  await form.locator('input[name=code]').fill('E2E-SVC-1');
  await form.locator('input[name=name_kk]').fill('E2E қызметі');
  await form.locator('input[name=name_ru]').fill('Услуга E2E');
  await form.locator('input[name=name_en]').fill('E2E service');
  await form.locator('input[name=variant-0]').fill('standard');
  await form.locator('input[name=amount-0]').fill('15');
  await form.locator('select[name=unit-0]').selectOption('calendar_days');
  await form.locator('input[name=variant-1]').fill('archive_request');
  await form.locator('input[name=amount-1]').fill('30');
  await form.locator('select[name=unit-1]').selectOption('calendar_days');
  await screenshot(page, 'admin-services-form');
  const response = await submit(page, form.locator('button[type=submit]'));
  assert.equal(response.status(), 200, await alertText(page));
  assert.equal(pathOf(page), '/admin/services/E2E-SVC-1');
  assert.equal(await count(page, 'table#variants tbody tr'), 2);
  assert.equal(await count(page, 'table#variants tr[data-variant=archive_request]'), 1);
  await screenshot(page, 'admin-service');
});

e2e('the administrator creates an organization and requires signatures of it', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin/organizations');
  await page.locator('#new-organization summary').click();
  const form = page.locator('form#organization-form');
  await form.locator('input[name=code]').fill('E2E-ORG-1');
  await form.locator('select[name=parent]').selectOption('AKIM-AST');
  await form.locator('select[name=kind]').selectOption('department');
  // A BIN with a wrong check digit first: refused beside the field.
  await form.locator('input[name=bin]').fill(WRONG_BIN);
  await form.locator('input[name=name_kk]').fill('E2E бөлімі');
  await form.locator('input[name=name_ru]').fill('Отдел E2E');
  await form.locator('input[name=name_en]').fill('E2E department');
  let response = await submit(page, form.locator('button[type=submit]'));
  assert.equal(response.status(), 422);
  assert.ok(await textOf(page, '#bin-error'), 'the BIN is refused at its field');
  assert.equal(await page.locator('#g-bin').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'admin-organization-error');

  // The same BIN with its right check digit.
  await page.locator('form#organization-form input[name=bin]').fill(BIN);
  response = await submit(page, page.locator('form#organization-form button[type=submit]'));
  assert.equal(pathOf(page), '/admin/organizations/E2E-ORG-1', await alertText(page));
  await page.locator('form#policy-form input[value=required]').check();
  await submit(page, page.locator('form#policy-form button[type=submit]'));
  assert.equal(await count(page, '[data-testid=org-notice]'), 1);
  assert.equal(await page.locator('form#policy-form input[value=required]').isChecked(), true);
  await screenshot(page, 'admin-organization');
});
