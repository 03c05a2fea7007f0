// Issue 16 B.2 and B.5 in a real browser: the lists' search (a number with and without
// dashes, an IIN, a surname in any case) with the list's total and numbered pages, the
// analyst's filters (organization, stage, dates); and the registration form that offers only
// what the service allows, shows every error at once in a summary, and registers with the
// chosen term and executor.

import {
  alertText,
  assert,
  count,
  e2e,
  eventually,
  IIN,
  pathOf,
  PREFERRED_SERVICE,
  rowNumbers,
  screenshot,
  signIn,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

/** Runs the list's search form with `q`; returns the numbers listed. */
async function search(page, table, q) {
  const form = page.locator('form#filters');
  await form.locator('input[name=q]').fill(q);
  await submit(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).searchParams.get('q'), q, 'the search is in the URL');
  assert.equal(await form.locator('input[name=q]').inputValue(), q, 'the search box keeps it');
  return rowNumbers(page, table);
}

/** The applicant's IIN/BIN as the application's page shows it. */
async function taxIdOf(page) {
  const values = await page.locator('dl.facts dd').evaluateAll((dds) => dds.map((d) => d.textContent.trim()));
  const id = values.find((v) => /^\d{12}$/.test(v));
  assert.ok(id, `the application's page shows a 12-digit IIN/BIN: ${values.join(' | ')}`);
  return id;
}

/** The surname of the first row (the list shows "Surname I. O."). */
async function firstSurname(page, table) {
  const text = await textOf(page, `${table} tbody tr[data-number] td:nth-child(3)`);
  assert.ok(text, 'the first row names its applicant');
  return text.split(' ')[0];
}

async function searchesEveryWay(page, base, table) {
  await visit(page, base);
  const total = await textOf(page, '[data-testid=total]');
  assert.match(total ?? '', /\d/, `the list says how many it holds: ${total}`);
  const numbers = await rowNumbers(page, table);
  assert.ok(numbers.length > 0, 'the list has rows');
  const number = numbers[numbers.length - 1];

  // Page numbers: the current one marked, another one reached by its link.
  assert.equal(await textOf(page, 'nav.pager [aria-current=page]'), '1', 'page 1 is the current one');
  const two = page.locator('nav.pager ol.pages a').first();
  assert.equal(await two.count(), 1, 'a link to another page');
  await submit(page, two);
  assert.equal(await textOf(page, 'nav.pager [aria-current=page]'), '2', 'on page 2');
  const second = await rowNumbers(page, table);
  assert.deepEqual(second.filter((n) => numbers.includes(n)), [], 'page 2 repeats nothing of page 1');
  await visit(page, base);

  // The number, plain and with dashes.
  assert.deepEqual(await search(page, table, number), [number], 'found by its number');
  const dashed = `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8, 12)}-${number.slice(12)}`;
  assert.deepEqual(await search(page, table, dashed), [number], 'found by its number with dashes');
  assert.match(await textOf(page, '[data-testid=total]'), /\b1\b/, 'a total of one');
  await screenshot(page, `search-number${base.replace(/\//g, '-')}`);

  // The applicant's IIN: that application among those listed.
  const href = await page.locator(`${table} tr[data-number="${number}"] a`).first().getAttribute('href');
  await visit(page, href);
  const id = await taxIdOf(page);
  await visit(page, base);
  const byId = await search(page, table, id);
  assert.ok(byId.includes(number), `found by the IIN/BIN: ${byId}`);

  // The surname, in lower and in upper case: every row's applicant has it.
  await visit(page, base);
  const surname = await firstSurname(page, table);
  for (const q of [surname.toLocaleLowerCase('kk'), surname.toLocaleUpperCase('kk')]) {
    const found = await search(page, table, q);
    assert.ok(found.length > 0, `found by ${q}`);
    const applicants = await page
      .locator(`${table} tbody tr[data-number] td:nth-child(3)`)
      .evaluateAll((tds) => tds.map((t) => t.textContent.trim()));
    for (const a of applicants) {
      assert.equal(a.split(' ')[0].toLocaleLowerCase('kk'), q.toLocaleLowerCase('kk'), `${a} has the surname ${q}`);
    }
  }
  await screenshot(page, `search-surname${base.replace(/\//g, '-')}`);

  // What means nothing is explained, not an error page.
  await search(page, table, '12345');
  assert.ok(await alertText(page), 'a search of 5 digits is explained');
}

e2e('the operator searches the inbox by number, IIN and surname, and pages by number', async ({ page }) => {
  await signIn(page, user('operator'));
  await searchesEveryWay(page, '/work', 'table#inbox');
});

e2e('the analyst searches every application, and filters by organization, stage and dates', async ({ page }) => {
  await signIn(page, user('analyst'));
  await searchesEveryWay(page, '/analytics/applications', 'table#applications');

  // The filters: an organization from the picker, a stage, dates of acceptance.
  await visit(page, '/analytics/applications');
  const form = page.locator('form#filters');
  const orgs = await form.locator('select[name=organization] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(orgs.length > 3, 'the organization picker lists organizations');
  await form.locator('select[name=organization]').selectOption(orgs[0]);
  await form.locator('select[name=stage]').selectOption('accepted');
  await form.locator('input[name=accepted_on_from]').fill('2020-01-01');
  await form.locator('input[name=accepted_on_to]').fill('2030-12-31');
  await submit(page, form.locator('button[type=submit]'));
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('organization'), orgs[0]);
  assert.equal(params.get('stage'), 'accepted');
  assert.equal(await alertText(page), '', 'the filters are accepted');
  assert.equal(await form.locator('select[name=organization]').inputValue(), orgs[0], 'the picker keeps the choice');
  const stages = await page
    .locator('table#applications tbody tr[data-number] td:nth-child(4)')
    .evaluateAll((tds) => tds.map((t) => t.textContent.trim()));
  const stageName = (await form.locator('select[name=stage] option[value=accepted]').textContent()).trim();
  for (const s of stages) assert.ok(s.startsWith(stageName), `${s} is ${stageName}`);
  await screenshot(page, 'analyst-list-filtered');
  // The next page keeps the filters.
  const next = page.locator('nav.pager a[rel=next]');
  if ((await next.count()) > 0) {
    await submit(page, next);
    const kept = new URL(page.url()).searchParams;
    for (const k of ['organization', 'stage', 'accepted_on_from', 'accepted_on_to']) {
      assert.equal(kept.get(k), params.get(k), `page 2 keeps ${k}`);
    }
  }
});

e2e('registration offers what the service allows and shows every error at once', async ({ page }) => {
  await signIn(page, user('operator'));
  await visit(page, '/work/new');
  const form = page.locator('form#register');
  // Nothing sent: every required field's error at once, in a summary linking to each field.
  await submit(page, form.locator('button[type=submit]'));
  const summary = page.locator('.error-summary');
  assert.equal(await summary.count(), 1, 'a summary of the errors');
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 3, `several errors at once: ${links}`);
  for (const href of links) {
    assert.equal(await count(page, href), 1, `${href} is a field of the form`);
  }
  for (const text of await summary.locator('a').allTextContents()) {
    assert.doesNotMatch(text, /[a-z]+_[a-z]+|\^|\[0-9\]|\\d/, `a plain message: ${text}`);
  }
  await screenshot(page, 'registration-summary');

  // The service chosen: its term variants by name, the organizations that deliver it.
  await form.locator('input[name=service_code]').fill(PREFERRED_SERVICE);
  await form.locator('input[name=service_code]').blur();
  await eventually(async () => {
    assert.ok((await count(page, 'form#register select[name=term_variant] option')) >= 1, 'the term variants');
  });
  const variants = await form.locator('select[name=term_variant] option').allTextContents();
  for (const v of variants) assert.match(v, /—\s*\d+/, `a named variant with its term: ${v}`);
  const executors = await form.locator('select[name=executor] option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(executors.length >= 1, 'organizations that deliver the service');
  await screenshot(page, 'registration-service-options');

  // Registered with the last variant offered.
  const lastVariant = await form.locator('select[name=term_variant] option').last().getAttribute('value');
  await form.locator('select[name=term_variant]').selectOption(lastVariant);
  await form.locator('input[name=tax_id]').fill(IIN.valid);
  await form.locator('input[name=last_name]').fill('Сейітов');
  await form.locator('input[name=first_name]').fill('Ерлан');
  const response = await submit(page, form.locator('button[type=submit]'));
  assert.ok(response.status() < 400, `registered: ${response.status()} ${await alertText(page)}`);
  assert.match(pathOf(page), /^\/work\/applications\/\d{13}$/);
});
