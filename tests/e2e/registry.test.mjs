// Organizations and services editable (issue 16, B.7), in the browser on the demo data.
//
// - The administrator edits a service's names in Kazakh, Russian and English (a refusal
//   first: a name left empty is refused beside its field and in the summary, what was typed
//   kept); the service's page shows the new names in each language, and so does the
//   workstation's registration form (the service picker) for an operator of the provider.
// - The organizations' table fits 1366 px: neither the page nor the table's own frame
//   scrolls sideways.
// - The search of the organizations finds one by part of its name, whatever the case.
// - axe-core (WCAG 2.1 A and AA) on every page changed — the organizations and services
//   lists with a search, an organization's and a service's page with their edit forms, and a
//   form refused — at 1366×768 and at 390×844, where the page never scrolls sideways.

import {
  alertText,
  assert,
  AXE_FAILING,
  axe,
  count,
  e2e,
  formatViolation,
  horizontalOverflow,
  pathOf,
  PREFERRED_SERVICE,
  screenshot,
  signIn,
  submit,
  switchLanguage,
  textOf,
  user,
  VIEWPORTS,
  visit,
} from './lib.mjs';

const NAMES = {
  kk: 'Мұрағаттық анықтама беру (E2E)',
  ru: 'Выдача архивной справки (E2E)',
  en: 'Issue of an archival certificate (E2E)',
};

/** The code of a service the operators of the e2e organization may register. */
async function operatorsService(page) {
  await visit(page, '/work/new');
  const codes = await page
    .locator('datalist#services option')
    .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  assert.ok(codes.length > 0, 'the operator is offered services');
  return codes.includes(PREFERRED_SERVICE) ? PREFERRED_SERVICE : codes[0];
}

e2e('the administrator edits a service’s names and they are shown in every language', async ({ page }) => {
  // Which service: one the organization's operators see in their picker.
  await signIn(page, user('polyglot'));
  const code = await operatorsService(page);
  await page.context().clearCookies();

  await signIn(page, user('administrator'));
  await visit(page, `/admin/services/${code}`);
  const form = page.locator('form#edit-form');
  // A name left empty: refused beside its field and in the summary, the others kept.
  await form.locator('input[name=name_kk]').fill(NAMES.kk);
  await form.locator('input[name=name_ru]').fill('');
  await form.locator('input[name=name_en]').fill(NAMES.en);
  let response = await submit(page, form.locator('button[type=submit]'));
  assert.equal(response.status(), 422);
  assert.ok(await textOf(page, '#name_ru-error'), 'the Russian name is refused at its field');
  assert.equal(await page.locator('#e-name_ru').getAttribute('aria-invalid'), 'true');
  assert.equal(await count(page, '[data-testid=error-summary] a[href="#name_ru-error"]'), 1);
  assert.equal(await page.locator('#e-name_kk').inputValue(), NAMES.kk, 'what was typed is kept');
  await screenshot(page, 'registry-service-edit-refused');

  await page.locator('form#edit-form input[name=name_ru]').fill(NAMES.ru);
  response = await submit(page, page.locator('form#edit-form button[type=submit]'));
  assert.equal(response.status(), 200, await alertText(page));
  assert.equal(pathOf(page), `/admin/services/${code}`);
  assert.equal(await count(page, '[data-testid=service-notice]'), 1);
  for (const lang of ['kk', 'ru', 'en']) {
    await switchLanguage(page, lang);
    await visit(page, `/admin/services/${code}`);
    assert.equal(await textOf(page, 'h1'), `${code} — ${NAMES[lang]}`, `the service's title in ${lang}`);
    await visit(page, `/admin/services?q=${encodeURIComponent(NAMES[lang].slice(0, 12).toUpperCase())}`);
    assert.equal(await count(page, `table#services tr[data-code="${code}"]`), 1, `found by its ${lang} name`);
    assert.equal(await textOf(page, `table#services tr[data-code="${code}"] td:nth-child(2)`), NAMES[lang]);
  }
  await switchLanguage(page, 'kk');
  await page.context().clearCookies();

  // The workstation: the registration's service picker, in each language.
  await signIn(page, user('polyglot'));
  try {
    for (const lang of ['kk', 'ru', 'en']) {
      await switchLanguage(page, lang);
      await visit(page, '/work/new');
      const option = await page
        .locator(`datalist#services option[value="${code}"]`)
        .evaluate((o) => o.textContent.trim());
      assert.equal(option, `${code} — ${NAMES[lang]}`, `the picker in ${lang}`);
    }
  } finally {
    await switchLanguage(page, 'kk').catch(() => {});
  }
});

e2e('the organizations’ table fits 1366 px and the search finds one by part of its name', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin/organizations');
  const widths = await page.evaluate(() => {
    const wrap = document.querySelector('table#organizations').closest('.table-wrap');
    return {
      page: document.documentElement.scrollWidth,
      frame: wrap.clientWidth,
      table: wrap.scrollWidth,
    };
  });
  assert.ok(widths.page <= 1366, `the page is ${widths.page}px wide`);
  assert.ok(widths.table <= widths.frame + 1, `the table (${widths.table}px) fits its frame (${widths.frame}px)`);
  await screenshot(page, 'registry-organizations-1366');

  // Part of the Kazakh name of an organization, typed in capitals.
  const first = page.locator('table#organizations tbody tr').nth(3);
  const code = await first.getAttribute('data-code');
  const name = (await first.locator('td').first().textContent()).trim();
  const words = name.split(/\s+/);
  const part = words.length > 1 ? words[1] : name.slice(1, 8);
  await page.locator('form.search input[name=q]').fill(part.toUpperCase());
  await submit(page, page.locator('form.search button[type=submit]'));
  assert.equal(new URL(page.url()).searchParams.get('q'), part.toUpperCase());
  assert.equal(await count(page, `table#organizations tr[data-code="${code}"]`), 1, `${code} found by "${part}"`);
  assert.ok(await textOf(page, '[data-testid=search-found]'));
  const shown = await count(page, 'table#organizations tbody tr');
  assert.ok(shown >= 1);
  await screenshot(page, 'registry-organizations-search');
  // Nothing found is said so.
  await visit(page, '/admin/organizations?q=zzzz-no-such-organization');
  assert.equal(await count(page, 'table#organizations tbody tr'), 0);
  assert.ok(await textOf(page, '[data-testid=search-found]'));
});

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  e2e(
    `the registry's changed pages pass axe at ${size} size`,
    async ({ page }) => {
      await signIn(page, user('administrator'));
      const failures = [];
      const notes = [];
      const check = async (label) => {
        const where = `${size} ${label} (${new URL(page.url()).pathname}${new URL(page.url()).search})`;
        for (const v of await axe(page)) {
          (AXE_FAILING.includes(v.impact) ? failures : notes).push(formatViolation(v, where));
        }
        const overflow = await horizontalOverflow(page);
        if (overflow.length) failures.push(`${where}: scrolls sideways: ${overflow.join('; ')}`);
        await screenshot(page, `registry-${size}-${label}`);
      };
      await visit(page, '/admin/organizations?q=AKIM');
      await check('organizations-search');
      const org = await page.locator('table#organizations tbody tr').first().getAttribute('data-code');
      await visit(page, `/admin/organizations/${org}`);
      await check('organization');
      // A refused edit: the summary and the error beside the field.
      await page.locator('form#edit-form input[name=bin]').fill('123');
      const response = await submit(page, page.locator('form#edit-form button[type=submit]'));
      assert.equal(response.status(), 422);
      await check('organization-refused');
      await visit(page, `/admin/services?q=${PREFERRED_SERVICE}`);
      await check('services-search');
      await visit(page, `/admin/services/${PREFERRED_SERVICE}`);
      await check('service');
      await page.locator('form#terms-form input[name=legal_basis]').fill('');
      const refused = await submit(page, page.locator('form#terms-form button[type=submit]'));
      assert.equal(refused.status(), 422);
      await check('service-terms-refused');
      // The service's standard: its editions (the demo publishes one).
      await visit(page, `/admin/services/${PREFERRED_SERVICE}/passport`);
      assert.equal(await page.locator('table#passport-versions tbody tr[data-status=in-force]').count(), 1, 'one edition in force');
      await check('service-passport');
      if (notes.length) console.log(`accessibility notes (not failing):\n${notes.join('\n')}`);
      assert.ok(failures.length === 0, `accessibility failures:\n${failures.join('\n')}`);
    },
    { context: { viewport, bypassCSP: true } },
  );
}
