// Signing in and out (issue 4): every role lands on its home, a wrong password is refused
// with an alert, and signing out ends the session.

import {
  alertText,
  BASE_URL,
  assert,
  count,
  e2e,
  HOME,
  pathOf,
  screenshot,
  signIn,
  signOut,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

e2e('without a session, / leads to the sign-in form', async ({ page }) => {
  await visit(page, '/');
  assert.equal(pathOf(page), '/sign-in');
  const form = page.locator('form#sign-in');
  assert.equal(await form.count(), 1, 'form#sign-in');
  for (const field of ['input[name=username]', 'input[name=password]', 'button[type=submit]']) {
    assert.equal(await form.locator(field).count(), 1, field);
  }
  assert.equal(await form.locator('input[name=password]').getAttribute('type'), 'password');
  await screenshot(page, 'sign-in');
});

e2e('a wrong password shows an alert and opens no session', async ({ page }) => {
  const u = user('administrator');
  await visit(page, '/sign-in');
  const form = page.locator('form#sign-in');
  await form.locator('input[name=username]').fill(u.username);
  await form.locator('input[name=password]').fill(`${u.password}-wrong`);
  await submit(page, form.locator('button[type=submit]'));
  const alert = await alertText(page);
  assert.ok(alert, 'an alert with a message');
  assert.equal(await count(page, 'form#sign-in'), 1, 'the form is shown again');
  assert.equal(await count(page, '[data-testid=user]'), 0, 'nobody is signed in');
  assert.ok(!alert.includes(u.password), 'the alert does not echo the password');
  await screenshot(page, 'sign-in-error');
  await visit(page, '/');
  assert.equal(pathOf(page), '/sign-in', 'still no session');
});

for (const key of ['operator', 'supervisor', 'analyst', 'administrator']) {
  e2e(`the ${key} signs in to ${HOME[key]} and signs out`, async ({ page, context }) => {
    const u = user(key);
    await signIn(page, u);
    assert.equal(pathOf(page), HOME[key], 'lands on the home of the role');
    const shown = await textOf(page, '[data-testid=user]');
    assert.ok(shown?.toLowerCase().includes(u.username.toLowerCase()), `[data-testid=user] shows ${u.username}: ${shown}`);
    const lang = page.locator('form#language-form');
    assert.equal(await lang.getAttribute('method'), 'post');
    assert.equal(await lang.getAttribute('action'), '/account/language');
    for (const l of ['kk', 'ru', 'en']) {
      assert.equal(await lang.locator(`button[name=lang][value=${l}]`).count(), 1, `language button ${l}`);
    }
    // The session's cookie is out of scripts' reach and not sent by other sites' forms.
    const cookies = await context.cookies();
    assert.ok(
      cookies.some((c) => c.httpOnly && ['Lax', 'Strict'].includes(c.sameSite)),
      `an HttpOnly, SameSite=Lax|Strict session cookie: ${JSON.stringify(cookies.map(({ name, httpOnly, sameSite, secure }) => ({ name, httpOnly, sameSite, secure })))}`,
    );

    await visit(page, '/');
    assert.equal(pathOf(page), HOME[key], '/ leads home with a session');

    await signOut(page);
    assert.equal(await count(page, '[data-testid=user]'), 0, 'signed out');
    await visit(page, '/');
    assert.equal(pathOf(page), '/sign-in', 'the session has ended');
    await page.goto(HOME[key]);
    assert.equal(await count(page, '[data-testid=user]'), 0, `${HOME[key]} needs a session again`);
  });
}

// Issue 15, finding 5: `next=/%09/evil.example` used to send the browser to another site after
// signing in (the browser drops the tab and reads `//evil.example`). In a real browser, the
// user lands on the role's home on this server.
e2e('a redirect after signing in stays on this site', async ({ page }) => {
  const u = user('analyst');
  await visit(page, '/sign-in?next=/%09/evil.example');
  const form = page.locator('form#sign-in');
  assert.equal(await form.locator('input[name=next]').inputValue(), '', 'the unsafe next is dropped');
  await form.locator('input[name=username]').fill(u.username);
  await form.locator('input[name=password]').fill(u.password);
  await submit(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).origin, new URL(BASE_URL).origin, `left the site: ${page.url()}`);
  assert.equal(pathOf(page), HOME.analyst);
});
