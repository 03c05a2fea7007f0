// The analyst (issue 4): from the dashboard's overdue count of an organization to the list of
// its overdue applications, and on to one of them, read-only.

import { assert, count, e2e, pathOf, rowNumbers, screenshot, signIn, STAGES, submit, textOf, user } from './lib.mjs';

e2e('an overdue application is found from the dashboard', async ({ page }) => {
  await signIn(page, user('analyst'));
  assert.equal(pathOf(page), '/analytics');
  assert.ok((await count(page, '#chart svg')) > 0, 'the chart (#chart svg)');
  await screenshot(page, 'dashboard');

  // An organization with overdue applications (the demo data has some).
  const links = await page
    .locator('table#by-organization a[data-testid=overdue-link]')
    .evaluateAll((as) => as.map((a) => ({ n: Number(a.textContent.replace(/\D/g, '') || 0), href: a.getAttribute('href') })));
  assert.ok(links.length > 0, 'overdue links in table#by-organization');
  const index = links.findIndex((l) => l.n > 0);
  assert.ok(index >= 0, `an organization with overdue applications: ${JSON.stringify(links)}`);
  const overdueCount = links[index].n;

  await submit(page, page.locator('table#by-organization a[data-testid=overdue-link]').nth(index));
  assert.equal(pathOf(page), '/analytics/applications');
  assert.equal(new URL(page.url()).searchParams.get('overdue'), 'true', 'the list is filtered to overdue');
  const numbers = await rowNumbers(page, 'table#applications');
  assert.ok(numbers.length > 0, 'the overdue applications are listed');
  assert.ok(numbers.length <= overdueCount, `no more rows (${numbers.length}) than the count (${overdueCount})`);
  for (const n of numbers) assert.match(n, /^\d{13}$/);
  await screenshot(page, 'dashboard-overdue');

  const number = numbers[0];
  await submit(page, page.locator(`table#applications tbody tr[data-number="${number}"] a`).first());
  assert.equal(pathOf(page), `/analytics/applications/${number}`);
  const stage = await page.locator('[data-testid=stage]').getAttribute('data-value');
  assert.ok(STAGES.includes(stage), `a stage: ${stage}`);
  for (const form of ['#stage-form', '#close-form', '#suspend-form', '#resume-form', '#reassign-form']) {
    assert.equal(await count(page, form), 0, `read-only: no ${form}`);
  }
  await screenshot(page, 'analytics-application');
});

// Issue 16, B.3: the dashboard's choice of an organization is followed by every figure —
// tiles, headline, tables and chart — and the page says whose figures they are.
e2e('the dashboard follows the organization chosen', async ({ page }) => {
  await signIn(page, user('analyst'));
  assert.equal(await page.locator('#dashboard-scope').getAttribute('data-scope'), 'national');
  assert.equal(await count(page, '#headline a'), 3, 'open overdue, nearing, on time this month');
  // Drill into the first organization that has units of its own.
  const drill = page.locator('table#by-organization a[href^="/analytics?org="]').first();
  const code = new URL(await drill.getAttribute('href'), 'http://x').searchParams.get('org');
  await submit(page, drill);
  assert.equal(new URL(page.url()).searchParams.get('org'), code);
  assert.equal(await page.locator('#dashboard-scope').getAttribute('data-scope'), 'organization');
  // Every list linked outside the units' table is the chosen organization's (the units'
  // table links to each unit's own).
  const hrefs = await page
    .locator('main a[href^="/analytics/applications?"]')
    .evaluateAll((as) => as.filter((a) => !a.closest('table#by-organization')).map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 10, `lists linked from the figures: ${hrefs.length}`);
  for (const h of hrefs) {
    assert.equal(new URL(h, 'http://x').searchParams.get('executor'), code, `${h} follows the choice`);
  }
  // The headline's open overdue figure is the length of its list.
  const tile = page.locator('#headline a').first();
  const shown = Number((await tile.locator('.tile-value').textContent()).replace(/\D/g, '') || 0);
  await submit(page, tile);
  const rows = await rowNumbers(page, 'table#applications');
  assert.equal(rows.length, Math.min(shown, 50), 'the open overdue figure is its list');
  await screenshot(page, 'dashboard-organization');
});

// The monthly violations report (issue 5, 000 §12): from the menu to the report, its three
// charts drawn by the server, and from a figure to the applications behind it, as many as it
// counts, with the applicants masked for the analyst; on to one of them.
e2e('the violations report: charts, and a figure followed to its applications', async ({ page }) => {
  await signIn(page, user('analyst'));
  await submit(page, page.locator('header nav a[href="/analytics/reports/violations"]'));
  assert.equal(pathOf(page), '/analytics/reports/violations');
  for (const id of ['chart-organizations', 'chart-services', 'chart-trend']) {
    assert.equal(await count(page, `svg#${id}[role=img]`), 1, `the chart svg#${id}`);
    assert.ok((await textOf(page, `svg#${id} > title`))?.length > 0, `svg#${id} has a title`);
  }
  // serve --demo stored the reports of the completed months of its data: the previous is shown.
  assert.match(await page.locator('#report-version').getAttribute('data-version'), /^\d+$/, 'a stored version');
  assert.equal(await count(page, 'svg#chart-trend g.trend-month'), 12, 'twelve months in the trend');
  assert.ok((await count(page, 'svg#chart-trend g.trend-month[data-violations]')) >= 2, 'two stored months in the trend');
  assert.ok((await count(page, 'svg#chart-trend g.trend-month[data-missing=true]')) >= 1, 'months without a report marked');
  assert.equal(await count(page, 'table#report-trend tbody tr'), 12, 'and in its table');
  assert.ok((await count(page, 'table#report-organizations tbody tr')) > 10, 'every organization');
  await screenshot(page, 'report');
  // The downloads, through the session.
  for (const [format, type] of [
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['csv', 'text/csv; charset=utf-8'],
    ['json', 'application/json'],
  ]) {
    const href = await page.locator(`p.downloads a[data-format=${format}]`).getAttribute('href');
    const response = await page.request.get(href);
    assert.equal(response.status(), 200, href);
    assert.equal(response.headers()['content-type'], type, href);
    assert.ok((await response.body()).length > 100, `${href} has a body`);
  }

  // The demo's previous month has violations: the first organization with some.
  const link = page.locator('table#report-organizations td[data-scope=total][data-figure=violations] a').first();
  assert.equal(await link.count(), 1, 'a violations figure with a link');
  const figure = Number((await link.textContent()).replace(/\D/g, ''));
  assert.ok(figure > 0, `the figure: ${figure}`);
  await submit(page, link);
  assert.equal(pathOf(page), '/analytics/reports/violations/applications');
  assert.equal(new URL(page.url()).searchParams.get('figure'), 'violations');
  assert.equal(Number((await textOf(page, '[data-testid=count]')).replace(/\D/g, '')), figure, 'the list counts the figure');
  const numbers = await rowNumbers(page, 'table#figure-applications');
  assert.equal(numbers.length, Math.min(figure, 50), 'a page of the applications');
  assert.equal(await count(page, '[data-testid=masked]'), 1, 'applicants are masked for the analyst');
  const applicant = await textOf(page, 'table#figure-applications tbody td.applicant');
  assert.match(applicant, /^\d{6}\*{6} /, `a masked IIN/BIN: ${applicant}`);
  await screenshot(page, 'report-figure-applications');

  await submit(page, page.locator(`table#figure-applications tbody tr[data-number="${numbers[0]}"] a`).first());
  assert.equal(pathOf(page), `/analytics/applications/${numbers[0]}`);
});
