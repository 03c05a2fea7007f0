// Why overdue (issue 16, B.4): the application page says where an application stands against
// its deadline — for an open overdue one, which stage's planned moment was missed and by how
// much, in the term's measure —, lists the registration as the history's first entry, and
// shows a suspension as a band of the timeline, in words (not colour alone). The page passes
// axe-core (WCAG 2.1 A/AA) and does not scroll sideways at 1366×768 and 390×844.

import {
  alertText,
  assert,
  AXE_FAILING,
  axe,
  count,
  e2e,
  formatViolation,
  horizontalOverflow,
  pickGround,
  rowNumbers,
  screenshot,
  signIn,
  submit,
  switchLanguage,
  textOf,
  user,
  visit,
  VIEWPORTS,
} from './lib.mjs';

/**
 * An open application of the operator's organization whose completion is overdue (the demo
 * data has them; the overdue filter also lists open ones completed late, which the summary
 * calls "completed late").
 */
async function anOverdue(page) {
  await visit(page, '/work?overdue=true');
  const numbers = await rowNumbers(page, 'table#inbox');
  assert.ok(numbers.length > 0, 'the demo data has open overdue applications');
  for (const number of numbers) {
    await visit(page, `/work/applications/${number}`);
    if ((await why(page)).status === 'overdue') return number;
  }
  assert.fail(`none of ${numbers.length} overdue rows is open and not completed`);
}

/** An open application of the operator's that is not overdue and may be suspended now. */
async function aRunning(page) {
  await visit(page, '/work');
  const numbers = await page
    .locator('table#inbox tbody tr[data-number]')
    .evaluateAll((rows) =>
      rows
        .filter((r) => !r.querySelector('.badge-overdue, .badge-suspended'))
        .map((r) => r.getAttribute('data-number')),
    );
  for (const number of numbers.slice(0, 10)) {
    await visit(page, `/work/applications/${number}`);
    if ((await count(page, 'form#suspend-form')) === 1) return number;
  }
  assert.fail(`none of ${numbers.length} running applications may be suspended`);
}

/** The summary's data attributes. */
async function why(page) {
  return page.locator('[data-testid=why]').evaluate((el) => ({
    status: el.getAttribute('data-status'),
    stage: el.getAttribute('data-stage'),
    unit: el.getAttribute('data-late-unit'),
    late: el.getAttribute('data-late'),
  }));
}

/** The number suspended by the band test, for the accessibility checks. */
let suspended = null;

e2e('an overdue application says which stage was missed and by how much', async ({ page }) => {
  await signIn(page, user('operator'));
  await switchLanguage(page, 'en');
  await anOverdue(page);
  const w = await why(page);
  assert.equal(w.status, 'overdue', 'the summary says overdue');
  assert.equal(w.stage, 'executed', 'the completion (stage 4) is the planned moment missed');
  assert.ok(['working_days', 'calendar_days', 'minutes'].includes(w.unit), `a measure: ${w.unit}`);
  assert.ok(Number(w.late) > 0, `late by a positive amount: ${w.late}`);
  const headline = await textOf(page, '[data-testid=why-headline]');
  assert.match(headline, /^Overdue: stage 4 “Executed” was due by .+; late by .+\.$/, headline);
  const words = { working_days: 'working day', calendar_days: 'calendar day', minutes: 'min' }[w.unit];
  assert.ok(headline.includes(words), `the headline names the measure (${words}): ${headline}`);
  // The status is said in words beside its colour.
  assert.equal(await textOf(page, '[data-testid=why] .why-badge'), 'Overdue');
  // The registration is the history's first entry.
  const first = await textOf(page, 'table#history tbody tr:first-child');
  assert.match(first, /Registered \(stage 1 “Accepted”\)/, first);
  assert.match(first, /planned date computed: /, first);
  await screenshot(page, 'why-overdue');
  // In the other languages as well.
  for (const [lang, label] of [['ru', 'Просрочено'], ['kk', 'Мерзімі өтті']]) {
    await switchLanguage(page, lang);
    assert.equal(await textOf(page, '[data-testid=why] .why-badge'), label, lang);
  }
});

e2e('a suspension and its resumption show as a band of the timeline', async ({ page }) => {
  await signIn(page, user('operator'));
  await switchLanguage(page, 'en');
  const number = await aRunning(page);
  assert.equal(await count(page, '[data-testid=suspension-band]'), 0, 'no band before a suspension');
  const reason = 'Documents requested from the applicant (e2e)';
  const suspend = page.locator('form#suspend-form');
  await suspend.locator('textarea[name=reason]').fill(reason);
  const ground = await pickGround(suspend);
  await submit(page, suspend.locator('[type=submit]'));
  assert.equal(await alertText(page), '', 'suspended without an alert');
  if (ground) {
    assert.equal(await textOf(page, '[data-testid=band-ground]'), `Under the service standard: ${ground}`);
  }
  assert.equal((await why(page)).status, 'suspended');
  let band = page.locator('[data-testid=suspension-band]');
  assert.equal(await band.count(), 1, 'the open suspension is a band');
  assert.match(await band.innerText(), /not resumed yet/);
  await submit(page, page.locator('form#resume-form [type=submit]'));
  assert.equal(await alertText(page), '', 'resumed without an alert');
  band = page.locator('[data-testid=suspension-band]');
  assert.equal(await band.count(), 1, 'the suspension stays on the timeline as a band');
  const text = await band.innerText();
  assert.ok(text.includes('Suspended'), `the band says what it is in words: ${text}`);
  assert.ok(text.includes(`Reason: ${reason}`), `with its reason: ${text}`);
  assert.match(await textOf(page, '[data-testid=band-period]'), / – /, 'from suspension to resumption');
  // For screen readers too: a sentence that the clock stood still.
  assert.equal(await band.locator('.visually-hidden').count(), 1);
  assert.notEqual((await why(page)).status, 'suspended', 'resumed');
  suspended = number;
  await screenshot(page, 'why-suspension-band');
});

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  e2e(`${viewport}: the application page with its summary and band is accessible`, async ({ page }) => {
    await signIn(page, user('operator'));
    const failures = [];
    const pages = [await anOverdue(page)];
    if (suspended) pages.push(suspended);
    for (const number of pages) {
      for (const lang of ['kk', 'en']) {
        await visit(page, `/work/applications/${number}`);
        await switchLanguage(page, lang);
        const where = `${viewport} ${lang} /work/applications/${number}`;
        for (const v of await axe(page)) {
          if (AXE_FAILING.includes(v.impact)) failures.push(formatViolation(v, where));
        }
        const overflow = await horizontalOverflow(page);
        if (overflow.length) failures.push(`${where}: scrolls sideways: ${overflow.join('; ')}`);
      }
    }
    await screenshot(page, `why-${viewport}`);
    assert.ok(failures.length === 0, `accessibility failures:\n${failures.join('\n')}`);
  }, { context: { viewport: size, bypassCSP: true } });
}
