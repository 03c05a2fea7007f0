// Roles (issue 4): each role's pages are refused to the others with 403 and a page that says
// so; the administrator's pages; forms are refused without their CSRF token.

import {
  assert,
  count,
  e2e,
  expectStatus,
  htmlLang,
  screenshot,
  signIn,
  user,
  visit,
} from './lib.mjs';

async function forbidden(page, path) {
  const response = await page.goto(path);
  expectStatus(response, 403, path);
  assert.equal(await count(page, '[data-testid=forbidden]'), 1, `${path}: [data-testid=forbidden]`);
}

e2e('an operator may not open the administration or the analytics', async ({ page }) => {
  await signIn(page, user('operator'));
  await forbidden(page, '/admin');
  await screenshot(page, 'forbidden');
  await forbidden(page, '/analytics');
});

e2e('an analyst may not register applications nor administer', async ({ page }) => {
  await signIn(page, user('analyst'));
  await forbidden(page, '/work/new');
  await forbidden(page, '/admin');
});

e2e('a supervisor may not administer', async ({ page }) => {
  await signIn(page, user('supervisor'));
  await forbidden(page, '/admin');
});

e2e("the administrator's pages", async ({ page }) => {
  await signIn(page, user('administrator'));
  await visit(page, '/admin');
  await screenshot(page, 'admin');
  for (const section of ['organizations', 'services', 'users', 'tokens', 'calendar', 'outages', 'outbox']) {
    const path = `/admin/${section}`;
    assert.ok((await count(page, `a[href="${path}"]`)) > 0, `/admin links to ${path}`);
  }
  for (const section of ['organizations', 'services', 'users', 'tokens', 'calendar', 'outages', 'outbox']) {
    await visit(page, `/admin/${section}`);
    await screenshot(page, `admin-${section}`);
  }
});

e2e('a form posted without its CSRF token is refused', async ({ page, context }) => {
  await signIn(page, user('operator'));
  // The request context carries the session's cookie, as a forged cross-site form would.
  const inbox = await context.request.get('/work', { maxRedirects: 0 });
  assert.equal(inbox.status(), 200, 'the session cookie goes with the requests');
  const forged = await context.request.post('/account/language', {
    form: { lang: 'en' },
    maxRedirects: 0,
  });
  assert.ok(forged.status() >= 400, `refused, not ${forged.status()}`);
  await visit(page, '/work');
  assert.notEqual(await htmlLang(page), 'en', 'the language did not change');
});
