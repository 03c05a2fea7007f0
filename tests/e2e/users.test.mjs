// User administration (issue 16, B.6) in a real browser: the administrator blocks an operator
// who is signed in elsewhere (that browser's next page is the sign-in form, and signing in
// is refused), unblocks them (they sign in again), resets their password (the temporary one
// shown once; at the next sign-in the operator must change it before anything else). Every
// blocking, reset and token revocation asks first: cancelled, nothing changes. The list and a
// user's page pass axe (WCAG 2.1 A/AA) at 1366×768 and at 390×844, without sideways scrolling.

import {
  alertText,
  assert,
  AXE_FAILING,
  axe,
  BASE_URL,
  e2e,
  formatViolation,
  horizontalOverflow,
  pathOf,
  screenshot,
  signIn,
  submit,
  textOf,
  user,
  VIEWPORTS,
  visit,
} from './lib.mjs';

const NEW_PASSWORD = `own-${Math.random().toString(36).slice(2)}-password`;

/** Opens the user page of `username` from the list's search. */
async function openUser(page, username) {
  await visit(page, `/admin/users?q=${encodeURIComponent(username)}`);
  const row = page.locator(`table#users tbody tr[data-username="${username}"]`);
  assert.equal(await row.count(), 1, `${username} is found by the search`);
  await submit(page, row.locator('a'));
  assert.match(pathOf(page), /^\/admin\/users\/\d+$/);
}

/** Clicks `button` of a form that asks first; `accept` answers the question. Returns it. */
async function answerConfirm(page, button, accept) {
  let question = null;
  page.once('dialog', async (d) => {
    question = d.message();
    await (accept ? d.accept() : d.dismiss());
  });
  if (accept) {
    await submit(page, button);
  } else {
    await button.click();
    // Nothing is sent: the page stays as it was.
    await page.waitForTimeout(300);
  }
  assert.ok(question, 'a question was asked');
  return question;
}

/** Tries to sign in `u` with `password`; returns the alert shown ('' when none). */
async function trySignIn(page, username, password) {
  await visit(page, '/sign-in');
  const form = page.locator('form#sign-in');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  await submit(page, form.locator('button[type=submit]'));
  return alertText(page);
}

e2e('blocking ends the sessions and refuses sign-in; unblocking and a reset with a forced change', async ({ page, context }) => {
  const target = user('blockable');
  const other = await context.browser().newContext({
    baseURL: BASE_URL,
    viewport: VIEWPORTS.desktop,
    locale: 'kk-KZ',
    timezoneId: 'Asia/Almaty',
  });
  try {
    const theirs = await other.newPage();
    await signIn(theirs, target);
    assert.equal(pathOf(theirs), '/work');

    await signIn(page, user('administrator'));
    await openUser(page, target.username);
    assert.equal(await page.locator('#user').getAttribute('data-status'), 'active');

    // Cancelled: nothing is sent.
    await page.locator('#b-reason').fill('Ауыстырылды');
    const block = page.locator('#block-form button[type=submit]');
    const question = await answerConfirm(page, block, false);
    assert.ok(question.includes(target.username), `the question names the user: ${question}`);
    assert.equal(await page.locator('#user').getAttribute('data-status'), 'active');
    // Accepted: blocked.
    await answerConfirm(page, block, true);
    assert.equal(await page.locator('#user').getAttribute('data-status'), 'blocked');
    assert.ok(await textOf(page, '[data-testid=user-notice]'));
    await screenshot(page, 'user-blocked');

    // Their open session ended: the next page is the sign-in form.
    await theirs.goto('/work');
    assert.equal(pathOf(theirs), '/sign-in', 'a blocked user is sent to sign in');
    const refused = await trySignIn(theirs, target.username, target.password);
    assert.ok(refused, 'the right password of a blocked user is refused');
    assert.equal(pathOf(theirs), '/sign-in');

    // Unblocked: they sign in again.
    await submit(page, page.locator('#unblock-form button[type=submit]'));
    assert.equal(await page.locator('#user').getAttribute('data-status'), 'active');
    await signIn(theirs, target);

    // A reset: asked first, the temporary password shown once, their session ended.
    const reset = page.locator('#reset-form button[type=submit]');
    await answerConfirm(page, reset, false);
    assert.equal(await page.locator('[data-testid=temporary-password]').count(), 0);
    await answerConfirm(page, reset, true);
    const temporary = await textOf(page, '[data-testid=temporary-password]');
    assert.match(temporary ?? '', /^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    await theirs.goto('/work');
    assert.equal(pathOf(theirs), '/sign-in', 'a reset ends the sessions');

    // Signing in with it leads to the password page, and nowhere else until changed.
    assert.equal(await trySignIn(theirs, target.username, temporary), '');
    assert.equal(pathOf(theirs), '/account/password');
    assert.ok(await textOf(theirs, '[data-testid=password-forced]'));
    await theirs.goto('/work');
    assert.equal(pathOf(theirs), '/account/password', 'other pages wait for the change');
    const form = theirs.locator('form#password-form');
    await form.locator('#current').fill(temporary);
    await form.locator('#new').fill(NEW_PASSWORD);
    await form.locator('#repeat').fill(NEW_PASSWORD);
    await submit(theirs, form.locator('button[type=submit]'));
    assert.equal(await alertText(theirs), '');
    await visit(theirs, '/work');
    assert.equal(pathOf(theirs), '/work');

    // The list shows the last sign-in and the status.
    await visit(page, `/admin/users?q=${target.username}&status=active`);
    assert.equal(await page.locator(`tr[data-username="${target.username}"]`).count(), 1);
  } finally {
    await other.close();
  }
});

e2e('revoking a token asks first: cancelled it stays, accepted it is revoked', async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin/tokens');
  const label = `e2e-revoke-${Date.now()}`;
  const create = page.locator('form#token-form');
  await create.locator('#t-label').fill(label);
  await create.locator('input[name=admin]').check();
  await submit(page, create.locator('button[type=submit]'));
  const row = page.locator('table#tokens tbody tr', { hasText: label });
  const revoke = row.locator('form[action="/admin/tokens/revoke"] button');
  const question = await answerConfirm(page, revoke, false);
  assert.ok(question.includes(label), `the question names the token: ${question}`);
  assert.equal(await revoke.count(), 1, 'cancelled: not revoked');
  await answerConfirm(page, revoke, true);
  assert.equal(await row.locator('form[action="/admin/tokens/revoke"]').count(), 0, 'revoked');
});

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  e2e(
    `${viewport}: the users list and a user's page pass axe and do not scroll sideways`,
    async ({ page }) => {
      await signIn(page, user('administrator'));
      const failures = [];
      const check = async (label) => {
        for (const v of await axe(page)) {
          if (AXE_FAILING.includes(v.impact)) failures.push(formatViolation(v, `${viewport} ${label}`));
        }
        const overflow = await horizontalOverflow(page);
        if (overflow.length) failures.push(`${viewport} ${label}: scrolls sideways: ${overflow.join('; ')}`);
        await screenshot(page, `${viewport}-${label}`);
      };
      await visit(page, '/admin/users?status=active');
      await check('users');
      await openUser(page, user('operator').username);
      await check('user');
      // With the errors beside their fields.
      await page.locator('#r-role').selectOption('analyst');
      await submit(page, page.locator('#role-form button[type=submit]'));
      assert.ok((await textOf(page, '#organization-error')) !== '', 'the error is beside the field');
      await check('user-errors');
      assert.deepEqual(failures, [], failures.join('\n'));
    },
    { context: { viewport: size, bypassCSP: true } },
  );
}
