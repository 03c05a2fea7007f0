// The operator's day (issue 4): the inbox with its badges, filters and pages; registering an
// application (a bad IIN refused next to the field, then a good one); moving it through all
// six stages of 000 §6; suspending, resuming and closing another one as refused; the
// supervisor's reassignment. The tests run in order: the later ones work on the application
// the registration test made.

import {
  alertText,
  assert,
  count,
  e2e,
  eventually,
  IIN,
  pathOf,
  pickGround,
  PREFERRED_SERVICE,
  rowNumbers,
  screenshot,
  serverLog,
  signIn,
  signOut,
  STAGES,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

/** The application registered by the registration test (13 digits). */
let registered = null;

const APPLICANT = { last_name: 'Сынақбаев', first_name: 'Тестжан', middle_name: 'Тексерұлы' };

async function stageOf(page) {
  return page.locator('[data-testid=stage]').getAttribute('data-value');
}

/** Checks the timeline: every stage up to `stage` reached, none after it. */
async function checkTimeline(page, stage) {
  const upTo = STAGES.indexOf(stage);
  const items = await page
    .locator('ol#timeline > li[data-stage]')
    .evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-stage'), li.getAttribute('data-reached')]));
  assert.deepEqual(
    items.map(([s]) => s),
    STAGES,
    'the timeline lists the six stages in order',
  );
  assert.deepEqual(
    items.map(([, r]) => r),
    STAGES.map((_, i) => String(i <= upTo)),
    `stages reached up to ${stage}`,
  );
}

async function noAlert(page, what) {
  assert.equal(await alertText(page), '', `${what}: an alert`);
}

/** Fills the registration form (all fields, so that a re-rendered form is refilled too). */
async function fillRegistration(page, taxId) {
  const form = page.locator('form#register');
  const services = await page
    .locator('datalist#services option')
    .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  assert.ok(services.length > 0, 'datalist#services lists services');
  const service = services.includes(PREFERRED_SERVICE) ? PREFERRED_SERVICE : services[0];
  await form.locator('input[name=service_code]').fill(service);
  await form.locator('input[name=last_name]').fill(APPLICANT.last_name);
  await form.locator('input[name=first_name]').fill(APPLICANT.first_name);
  await form.locator('input[name=middle_name]').fill(APPLICANT.middle_name);
  await form.locator('select[name=channel]').selectOption('provider');
  // Typed key by key: the check beside the field follows the typing.
  const tax = form.locator('input[name=tax_id]');
  await tax.fill('');
  await tax.pressSequentially(taxId, { delay: 15 });
  // Its verdict: until it shows, the form may still move under the pointer.
  const verdict = iinValid(taxId) ? 'valid' : 'invalid';
  await eventually(async () => {
    const r = await checkResult(page);
    assert.ok(r.classes.includes(verdict) && (verdict === 'invalid' || !r.classes.includes('invalid')), `#tax-id-check shows ${verdict}: ${JSON.stringify(r)}`);
    assert.ok(r.text.length > 0, '#tax-id-check says something');
  });
  return form;
}

/** The IIN/BIN check digit rule (weights 1..11, then 3..11,1,2 when the first gives 10). */
function iinValid(s) {
  if (!/^\d{12}$/.test(s)) return false;
  const d = [...s].map(Number);
  const sum = (w) => d.slice(0, 11).reduce((a, x, i) => a + x * w(i), 0) % 11;
  let c = sum((i) => i + 1);
  if (c === 10) c = sum((i) => ((i + 2) % 11) + 1);
  return c !== 10 && c === d[11];
}

/** The text of #tax-id-check, and the classes of it and of what it holds. */
async function checkResult(page) {
  return page.locator('#tax-id-check').evaluate((el) => ({
    text: el.textContent.trim(),
    classes: [el, ...el.querySelectorAll('*')].flatMap((e) => [...e.classList]),
  }));
}

/** Registers an application with the good IIN; returns its number. */
async function register(page) {
  await visit(page, '/work/new');
  const form = await fillRegistration(page, IIN.valid);
  const response = await submit(page, form.locator('button[type=submit]'));
  assert.ok(response.status() < 400, `registration answered ${response.status()}: ${await alertText(page)}`);
  const m = pathOf(page).match(/^\/work\/applications\/(\d{13})$/);
  assert.ok(m, `lands on the application's page, not ${page.url()}`);
  return m[1];
}

e2e('the inbox: rows, pages, and the overdue filter', async ({ page }) => {
  await signIn(page, user('operator'));
  assert.equal(pathOf(page), '/work');
  const first = await rowNumbers(page, 'table#inbox');
  assert.ok(first.length > 0, 'the demo applications of the organization are listed');
  for (const n of first) assert.match(n, /^\d{13}$/);
  assert.equal(await count(page, 'a[data-testid=new-application][href="/work/new"]'), 1, 'a link to /work/new');
  await screenshot(page, 'inbox');

  // The next page: other applications.
  const next = page.locator('a[rel=next]').first();
  assert.equal(await next.count(), 1, 'a[rel=next]: the organization has hundreds of applications');
  await submit(page, next);
  const second = await rowNumbers(page, 'table#inbox');
  assert.ok(second.length > 0, 'the second page has rows');
  assert.deepEqual(
    second.filter((n) => first.includes(n)),
    [],
    'the second page repeats none of the first',
  );

  // Only overdue ones, each with its badge.
  await visit(page, '/work');
  const filters = page.locator('form#filters');
  assert.equal(await filters.count(), 1, 'form#filters');
  await filters.locator('input[name=overdue][value=true]').check();
  await Promise.all([page.waitForNavigation(), filters.evaluate((f) => f.requestSubmit())]);
  assert.equal(new URL(page.url()).searchParams.get('overdue'), 'true', 'the filter is in the URL');
  const overdue = await rowNumbers(page, 'table#inbox');
  assert.ok(overdue.length > 0, 'the demo data has open overdue applications');
  const withBadge = await page
    .locator('table#inbox tbody tr[data-number]')
    .evaluateAll((rows) => rows.filter((r) => r.querySelector('.badge-overdue')).length);
  assert.equal(withBadge, overdue.length, 'every row of the overdue filter has .badge-overdue');
  assert.ok(await filters.locator('input[name=overdue]').isChecked(), 'the filter stays checked');
  await screenshot(page, 'inbox-overdue');
});

e2e('registration: a bad IIN is refused beside the field, a good one registers', async ({ page }) => {
  await signIn(page, user('operator'));
  await submit(page, page.locator('a[data-testid=new-application]'));
  assert.equal(pathOf(page), '/work/new');
  const acceptedAt = page.locator('form#register input[name=accepted_at]');
  assert.equal(await acceptedAt.getAttribute('type'), 'datetime-local');
  assert.match((await acceptedAt.inputValue()) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d/, 'accepted_at is prefilled');
  for (const channel of ['provider', 'state_corp', 'portal']) {
    assert.equal(await count(page, `form#register select[name=channel] option[value=${channel}]`), 1, `channel ${channel}`);
  }
  assert.equal(await count(page, 'form#register input[name=paper][type=checkbox]'), 1, 'the paper checkbox');
  await screenshot(page, 'registration');

  // The bad check digit: flagged while typing, then refused by the server.
  assert.ok(!iinValid(IIN.invalid) && iinValid(IIN.valid), 'the test IINs');
  let form = await fillRegistration(page, IIN.invalid); // waits for class invalid and a text
  await screenshot(page, 'registration-invalid-iin');
  const refused = await submit(page, form.locator('button[type=submit]'));
  assert.equal(refused.status(), 422, 'a bad IIN is answered 422');
  assert.ok(await textOf(page, '#tax_id-error'), '#tax_id-error explains the IIN');
  assert.equal(await count(page, 'form#register'), 1, 'the form is shown again');
  await screenshot(page, 'registration-error');

  // The good one.
  form = await fillRegistration(page, IIN.valid); // waits for class valid
  const response = await submit(page, form.locator('button[type=submit]'));
  assert.ok(response.status() < 400, `registered: ${response.status()} ${await alertText(page)}`);
  const m = pathOf(page).match(/^\/work\/applications\/(\d{13})$/);
  assert.ok(m, `lands on /work/applications/<number>, not ${page.url()}`);
  registered = m[1];
  const number = page.locator('[data-testid=number]');
  assert.equal(await number.getAttribute('data-value'), registered);
  assert.equal(((await number.textContent()) ?? '').replace(/[^\d]/g, ''), registered, 'the number shown');
  assert.ok(await textOf(page, '[data-testid=planned-date]'), 'the planned date is shown');
  assert.equal(await count(page, '#derivation'), 1, 'how the planned date was derived');
  assert.equal(await stageOf(page), 'accepted');
  await checkTimeline(page, 'accepted');
  await screenshot(page, 'application');

  // Personal data stays out of the server's log (never an IIN or a name in clear).
  const log = serverLog();
  assert.ok(!log.includes(IIN.valid) && !log.includes(IIN.invalid), 'the server log holds no IIN');
  assert.ok(!log.includes(APPLICANT.last_name), "the server log holds no applicant's name");
});

e2e('only a supervisor may reassign', async ({ page, t }) => {
  if (!registered) return t.skip('the registration test failed');
  await signIn(page, user('operator'));
  await visit(page, `/work/applications/${registered}`);
  assert.equal(await count(page, '#reassign-form'), 0, 'not for an operator');
  await signOut(page);
  await signIn(page, user('supervisor'));
  await visit(page, `/work/applications/${registered}`);
  assert.equal(await count(page, '#reassign-form input[name=executor]'), 1, 'a supervisor may reassign');
  await screenshot(page, 'application-supervisor');
});

e2e('the application moves through all six stages', async ({ page, t }) => {
  if (!registered) return t.skip('the registration test failed');
  await signIn(page, user('operator'));
  await visit(page, `/work/applications/${registered}`);
  for (let i = 1; i <= 4; i++) {
    const stage = STAGES[i];
    const form = page.locator('form#stage-form');
    for (const done of STAGES.slice(0, i)) {
      assert.equal(await form.locator(`button[name=stage][value=${done}]`).count(), 0, `no button for ${done} at ${STAGES[i - 1]}`);
    }
    const button = form.locator(`button[name=stage][value=${stage}]`);
    assert.equal(await button.count(), 1, `a button for ${stage}`);
    await submit(page, button);
    await noAlert(page, `moving to ${stage}`);
    assert.equal(pathOf(page), `/work/applications/${registered}`);
    assert.equal(await stageOf(page), stage);
    await checkTimeline(page, stage);
  }
  await screenshot(page, 'application-ready-for-issue');
  const close = page.locator('form#close-form');
  await close.locator('select[name=outcome]').selectOption('issued');
  const issuedQuestion = await close.getAttribute('data-confirm-issued');
  const asked = confirming(page, true);
  await submit(page, close.locator('button[type=submit]'));
  assert.equal(await asked, issuedQuestion, 'closing asks first, naming the outcome');
  await noAlert(page, 'closing as issued');
  assert.equal(await stageOf(page), 'closed');
  await checkTimeline(page, 'closed');
  assert.equal(await count(page, 'form#stage-form button[name=stage]'), 0, 'no stage after closure');
  await screenshot(page, 'application-closed');
});

/** The next confirmation dialog's question, accepted or dismissed. */
function confirming(page, accept) {
  return new Promise((resolve) => {
    page.once('dialog', async (dialog) => {
      const text = dialog.message();
      await (accept ? dialog.accept() : dialog.dismiss());
      resolve(text);
    });
  });
}

e2e('another application is suspended, resumed and closed as refused', async ({ page }) => {
  await signIn(page, user('operator'));
  const number = await register(page);

  const suspend = page.locator('form#suspend-form');
  await suspend.locator('textarea[name=reason]').fill('Құжаттар толық емес (e2e)');
  await pickGround(suspend);
  await submit(page, suspend.locator('[type=submit]'));
  await noAlert(page, 'suspending');
  assert.equal(await count(page, 'form#resume-form'), 1, 'a suspended application can be resumed');
  await screenshot(page, 'application-suspended');
  await submit(page, page.locator('form#resume-form [type=submit]'));
  await noAlert(page, 'resuming');
  assert.equal(await count(page, 'form#suspend-form'), 1, 'a resumed application can be suspended again');
  assert.equal(await stageOf(page), 'accepted');

  // A refusal needs its reason: the server says so even when the browser does not.
  let close = page.locator('form#close-form');
  await close.evaluate((f) => {
    f.noValidate = true;
  });
  await close.locator('select[name=outcome]').selectOption('refused');
  await pickGround(close);
  await close.locator('textarea[name=reason]').fill('');
  let asked = confirming(page, true);
  await submit(page, close.locator('button[type=submit]'));
  await asked;
  assert.ok(await alertText(page), 'a refusal without a reason is explained');
  // Issue 16, B1: the form comes back as chosen, so the next click cannot record "issued".
  assert.equal(
    await page.locator('form#close-form select[name=outcome]').inputValue(),
    'refused',
    'the outcome chosen is kept after the refusal',
  );
  await visit(page, `/work/applications/${number}`);
  assert.equal(await stageOf(page), 'accepted', 'and not recorded');

  // 003 §17: a refusal names a ground of the service's passport; without one the server
  // refuses it at the ground's select, and the reason typed stays.
  const reason = 'Өтініш беруші талаптарға сәйкес емес (e2e)';
  close = page.locator('form#close-form');
  assert.equal(await close.locator('select[name=ground]').count(), 1, "the passport's refusal grounds are offered");
  await close.locator('select[name=outcome]').selectOption('refused');
  await close.locator('textarea[name=reason]').fill(reason);
  asked = confirming(page, true);
  await submit(page, close.locator('button[type=submit]'));
  await asked;
  assert.ok(await textOf(page, '#close-ground-error'), 'a refusal without its ground is explained at the select');
  assert.equal(await page.locator('form#close-form textarea[name=reason]').inputValue(), reason);
  assert.equal(await stageOf(page), 'accepted', 'and not recorded');

  close = page.locator('form#close-form');
  await close.locator('select[name=outcome]').selectOption('refused');
  const ground = await pickGround(close);
  // Issue 16, B1: closing asks first, naming the outcome chosen; cancelled, nothing is sent.
  const refusedQuestion = await close.getAttribute('data-confirm-refused');
  assert.ok(refusedQuestion && refusedQuestion !== (await close.getAttribute('data-confirm-issued')));
  asked = confirming(page, false);
  await close.locator('button[type=submit]').click();
  assert.equal(await asked, refusedQuestion, 'the question names the refusal');
  assert.equal(await stageOf(page), 'accepted', 'cancelled: not closed');
  asked = confirming(page, true);
  await submit(page, close.locator('button[type=submit]'));
  assert.equal(await asked, refusedQuestion);
  await noAlert(page, 'closing as refused');
  assert.equal(await stageOf(page), 'closed');
  assert.equal(
    await page.locator('[data-testid=outcome]').getAttribute('data-value'),
    'refused',
    'the outcome recorded is the refusal',
  );
  assert.equal(
    await page.locator('ol#timeline > li[data-stage=closed]').getAttribute('data-reached'),
    'true',
  );
  assert.equal(await count(page, 'form#stage-form button[name=stage]'), 0, 'no stage after closure');
  assert.equal(
    await page.locator('[data-testid=history-ground]').last().innerText(),
    ground,
    'the history names the ground',
  );
  await screenshot(page, 'application-refused');
});
