// Issue 17 in a real browser, without signing in: an applicant finds a service in the public
// catalogue by a word with another ending, reads what to bring, how long and how much, in
// each language; and checks the status of an application by its number and IIN/BIN, told the
// same "not found" for a wrong IIN as for a mistyped number, and shown no personal data.
// Both pages pass axe (WCAG 2.1 AA) at desktop and phone width.

import {
  alertText,
  assert,
  axe,
  AXE_FAILING,
  e2e,
  formatViolation,
  horizontalOverflow,
  htmlLang,
  rowNumbers,
  screenshot,
  signIn,
  signOut,
  submit,
  textOf,
  user,
  visit,
  VIEWPORTS,
} from './lib.mjs';

async function noFailingViolations(page, where) {
  const failing = (await axe(page)).filter((v) => AXE_FAILING.includes(v.impact));
  assert.deepEqual(failing.map((v) => formatViolation(v, where)), [], `axe on ${where}`);
}

e2e(
  'an applicant finds a service by a word with another ending and reads its passport in each language',
  async ({ page }) => {
    const totalOf = async () => Number(((await textOf(page, '[data-testid=found]')) ?? '').replace(/\s/g, '').match(/\d+/)?.[0]);
    await visit(page, '/services?lang=ru');
    assert.equal(await htmlLang(page), 'ru');
    const all = await totalOf();
    assert.ok(all >= 40, `the catalogue counts the demo's services: ${all}`);
    assert.equal(await page.locator('[data-testid=catalogue] li').count(), 25, 'a page of 25');
    // The second page, by its number.
    await submit(page, page.locator('nav.pager ol.pages a').first());
    assert.equal(await textOf(page, 'nav.pager [aria-current=page]'), '2');
    assert.ok((await page.locator('[data-testid=catalogue] li').count()) > 0, 'page 2 lists services');

    // "архивную справку": the service is called «Выдача архивных справок».
    const form = page.locator('form[role=search]');
    await form.locator('input[name=q]').fill('архивную справку');
    await submit(page, form.locator('button[type=submit]'));
    const found = await page
      .locator('[data-testid=catalogue] li')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-service')));
    assert.ok(found.includes('ARCH-001'), `found by another ending: ${found}`);
    assert.ok((await totalOf()) < all, 'the search narrows the list');

    // A filter by channel keeps only the services offered through it.
    await visit(page, '/services?channel=portal');
    const portal = await totalOf();
    assert.ok(portal > 0 && portal < all, `the portal filter narrows the list: ${portal} of ${all}`);

    await visit(page, '/services/ARCH-001');
    assert.equal(await textOf(page, '[data-testid=service-name]'), 'Выдача архивных справок');
    const documents = await page.locator('[data-testid=documents] li').count();
    assert.ok(documents > 0, 'what to bring is listed');
    assert.ok((await page.locator('[data-testid=refusal-grounds] li').count()) > 0, 'grounds for refusal');
    assert.ok(await textOf(page, '[data-testid=fee]'), 'the fee is said');
    await screenshot(page, 'public-service-ru');

    // The same page in Kazakh, through the header's switcher.
    await submit(page, page.locator('nav.languages a[lang=kk]'));
    assert.equal(await htmlLang(page), 'kk');
    assert.equal(await textOf(page, '[data-testid=service-name]'), 'Архивтік анықтамалар беру');
    // And the catalogue in Kazakh finds it by a Kazakh word with another ending.
    await visit(page, '/services?q=анықтаманы');
    const kk = await page
      .locator('[data-testid=catalogue] li')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-service')));
    assert.ok(kk.includes('ARCH-001'), `found in Kazakh: ${kk}`);

    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      for (const path of ['/services', '/services/ARCH-001', '/status']) {
        await visit(page, path);
        await noFailingViolations(page, `${path} at ${name}`);
        assert.deepEqual(await horizontalOverflow(page), [], `${path} fits ${name}`);
      }
    }
  },
  { context: { bypassCSP: true } },
);

e2e('an applicant checks the status of an application by its number and IIN', async ({ page }) => {
  // The operator's inbox gives a real number, its applicant's IIN and surname.
  await signIn(page, user('operator'));
  await visit(page, '/work');
  const [number] = await rowNumbers(page, 'table#inbox');
  assert.ok(number, 'the inbox has an application');
  const surname = (await textOf(page, `table#inbox tr[data-number="${number}"] td:nth-child(3)`)).split(' ')[0];
  await visit(page, await page.locator(`table#inbox tr[data-number="${number}"] a`).first().getAttribute('href'));
  const values = await page.locator('dl.facts dd').evaluateAll((dds) => dds.map((d) => d.textContent.trim()));
  const iin = values.find((v) => /^\d{12}$/.test(v));
  assert.ok(iin, 'the application shows its IIN/BIN');
  await signOut(page);

  await visit(page, '/status?lang=ru');
  const form = page.locator('form#status-form');
  const ask = async (n, id) => {
    await form.locator('input[name=number]').fill(n);
    await form.locator('input[name=iin]').fill(id);
    return submit(page, form.locator('button[type=submit]'));
  };
  // Another IIN and a mistyped number get one and the same answer.
  const other = iin === '900101300017' ? '880101300012' : '900101300017';
  const wrongIin = await ask(number, other);
  assert.equal(wrongIin.status(), 404);
  const notFound = await alertText(page);
  assert.ok(notFound, 'not found is said');
  const mistyped = `${number.slice(0, 12)}${(Number(number[12]) + 1) % 10}`;
  const wrongNumber = await ask(mistyped, iin);
  assert.equal(wrongNumber.status(), 404);
  assert.equal(await alertText(page), notFound, 'the same words for a mistyped number');
  // A number of the wrong shape is explained as such.
  const shape = await ask('12345', iin);
  assert.equal(shape.status(), 422);
  assert.notEqual(await alertText(page), notFound);

  const found = await ask(`${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8, 12)}-${number.slice(12)}`, iin);
  assert.equal(found.status(), 200);
  assert.equal(await alertText(page), '');
  assert.ok(await textOf(page, '[data-testid=status-service]'), 'the service is named');
  assert.ok(await textOf(page, '[data-testid=status-stage]'), 'the stage is said');
  assert.match(await textOf(page, '[data-testid=status-planned]'), /\d/, 'the planned date');
  assert.ok(await textOf(page, '[data-testid=status-next]'), 'what to do next');
  const html = await page.content();
  assert.ok(!html.includes(surname), 'no name of the applicant on the page');
  assert.ok(!html.includes(iin), 'the IIN is not shown back');
  await screenshot(page, 'public-status-ru');
});
