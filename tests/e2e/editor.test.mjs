// The passport editor (issue 17, point 2), in the browser on the demo data.
//
// - The administrator opens the editor from the standard's page, adds a document (an empty row
//   at once, its first field focused), fills it in, saves the draft, sees the document in the
//   draft, and publishes the draft from tomorrow after confirming.
// - Without a script, "Add a document" sends the form and it comes back with the empty row.
// - axe-core (WCAG 2.1 A and AA) on the editor — as opened, with a row added, and refused
//   with its problems — at 1366×768 and at 390×844, where the page never scrolls sideways.

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
  user,
  VIEWPORTS,
  visit,
} from './lib.mjs';

const SERVICE = PREFERRED_SERVICE;
const EDIT = `/admin/services/${SERVICE}/passport/edit`;

/** The next confirmation dialog's question, accepted. */
function confirming(page) {
  return new Promise((resolve) => {
    page.once('dialog', async (dialog) => {
      const text = dialog.message();
      await dialog.accept();
      resolve(text);
    });
  });
}

/** Tomorrow in Asia/Almaty, YYYY-MM-DD. */
function tomorrow() {
  return new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Almaty' });
}

/** How many documents the editor's form has. */
async function documents(page) {
  return count(page, 'fieldset.row[data-row^="documents["]');
}

e2e('an administrator adds a document in the editor, saves the draft and publishes it', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, `/admin/services/${SERVICE}/passport`);
  await submit(page, page.locator('[data-testid=passport-edit-link]'));
  assert.equal(pathOf(page), EDIT);
  const before = await documents(page);
  assert.ok(before > 0, 'the form starts from the published edition');

  await page.locator('button[name=add][value=documents]').click();
  assert.equal(await documents(page), before + 1, 'one more document');
  assert.equal(pathOf(page), EDIT, 'at once, on the page');
  const legend = await page.locator(`fieldset[data-row="documents[${before}]"] > legend`).textContent();
  assert.ok(legend.includes(String(before + 1)), `the new row is numbered: ${legend}`);
  assert.equal(await count(page, `fieldset[data-row="documents[${before}]"] .field-error`), 0);
  const row = `documents[${before}]`;
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('name')),
    `${row}.code`,
    'the new row’s first field has the focus',
  );
  await page.locator(`[name="${row}.code"]`).fill('e2e-photo');
  await page.locator(`[name="${row}.name.kk"]`).fill('Фотосурет 3×4 (e2e)');
  await page.locator(`[name="${row}.name.ru"]`).fill('Фотография 3×4 (e2e)');
  await page.locator(`[name="${row}.name.en"]`).fill('Photo 3×4 (e2e)');
  await page.locator(`[name="${row}.form"]`).selectOption('copy');
  await page.locator(`[name="${row}.copies"]`).fill('2');
  await screenshot(page, 'editor-document-added');

  const saved = await submit(page, page.locator('[data-testid=editor-save]'));
  assert.equal(saved.status(), 200, await alertText(page));
  assert.equal(pathOf(page), `/admin/services/${SERVICE}/passport`);
  assert.equal(await count(page, '[data-testid=passport-notice]'), 1);
  assert.equal(await count(page, 'table#passport-versions tr[data-status=draft]'), 1, 'the draft is listed');
  assert.equal(await count(page, '[data-testid=draft-ready]'), 1, await page.locator('main').innerText());

  // The document is in the draft.
  await submit(page, page.locator('[data-testid=passport-edit-link]'));
  assert.equal(await page.locator(`[name="${row}.code"]`).inputValue(), 'e2e-photo');
  assert.equal(await page.locator(`[name="${row}.name.ru"]`).inputValue(), 'Фотография 3×4 (e2e)');
  assert.equal(await page.locator(`[name="${row}.form"]`).inputValue(), 'copy');
  await visit(page, `/admin/services/${SERVICE}/passport`);

  // Published from tomorrow, after the confirmation.
  const form = page.locator('form#publish-form');
  await form.locator('input[name=valid_from]').fill(tomorrow());
  await form.locator('input[name=approving_act]').fill('Бұйрық № 17 (e2e)');
  const asked = confirming(page);
  const published = await submit(page, form.locator('button[type=submit]'));
  assert.ok((await asked).length > 0, 'a question was asked');
  assert.equal(published.status(), 200, await alertText(page));
  assert.equal(await count(page, '[data-testid=passport-notice]'), 1);
  assert.equal(await count(page, 'table#passport-versions tr[data-status=ahead]'), 1, 'the new edition waits for its day');
  assert.equal(await count(page, 'table#passport-versions tr[data-status=draft]'), 0);
  await screenshot(page, 'editor-published');
});

e2e(
  'without a script, adding a document sends the form and brings it back with the row',
  async ({ page }) => {
    await signIn(page, user('administrator'));
    await visit(page, EDIT);
    const before = await documents(page);
    await page.locator(`[name="documents[0].code"]`).fill('kept-e2e');
    const grown = await submit(page, page.locator('button[name=add][value=documents]'));
    assert.equal(grown.status(), 200, await alertText(page));
    assert.equal(await documents(page), before + 1, 'one more document');
    assert.equal(await page.locator(`[name="documents[0].code"]`).inputValue(), 'kept-e2e', 'the input is kept');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('name')),
      `documents[${before}].code`,
      'the new row’s first field has the focus',
    );
  },
  { context: { javaScriptEnabled: false } },
);

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  e2e(
    `the passport editor passes axe at ${size} size`,
    async ({ page }) => {
      await signIn(page, user('administrator'));
      const failures = [];
      const notes = [];
      const check = async (label) => {
        const where = `${size} ${label} (${new URL(page.url()).pathname})`;
        for (const v of await axe(page)) {
          (AXE_FAILING.includes(v.impact) ? failures : notes).push(formatViolation(v, where));
        }
        const overflow = await horizontalOverflow(page);
        if (overflow.length) failures.push(`${where}: scrolls sideways: ${overflow.join('; ')}`);
        await screenshot(page, `editor-${size}-${label}`);
      };
      await visit(page, EDIT);
      await check('opened');
      await page.locator('button[name=add][value=refusal_grounds]').click();
      await page.locator('#passport-editor .remove input').first().check();
      await check('row-added');
      // Refused: a code that is no code, a number that is none.
      await page.locator('[name="documents[0].code"]').fill('код документа');
      await page.locator('[name="terms.max_wait_minutes"]').fill('много');
      const refused = await submit(page, page.locator('[data-testid=editor-save]'));
      assert.equal(refused.status(), 422);
      assert.equal(await count(page, '[data-testid=error-summary] a[href="#f-documents-0-code"]'), 1);
      assert.equal(await page.locator('#f-documents-0-code').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#f-documents-0-code').inputValue(), 'код документа', 'what was typed is kept');
      await check('refused');
      if (notes.length) console.log(`accessibility notes (not failing):\n${notes.join('\n')}`);
      assert.ok(failures.length === 0, `accessibility failures:\n${failures.join('\n')}`);
    },
    { context: { viewport, bypassCSP: true } },
  );
}
