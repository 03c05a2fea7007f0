// The analyst (issue 4): from the dashboard's overdue count of an organization to the list of
// its overdue applications, and on to one of them, read-only.

import { assert, count, e2e, pathOf, rowNumbers, screenshot, signIn, STAGES, submit, user } from './lib.mjs';

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
