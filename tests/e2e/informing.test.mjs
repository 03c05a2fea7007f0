// Issue 17 (000 §2) in a real browser and through a real SMTP server (aiosmtpd, started by
// run.sh): an operator registers an application with the applicant's e-mail; the applicant
// receives a message in the chosen language when it is accepted and when it is ready for
// issue (the stages the demo passport flags), and none for the stages between; the link in
// the message opens the public status page, where the number and IIN show the stage.

import {
  alertText,
  assert,
  BASE_URL,
  e2e,
  mailTo,
  eventually,
  IIN,
  pathOf,
  PREFERRED_SERVICE,
  screenshot,
  signIn,
  signOut,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

const MAIL = process.env.E2E_MAIL_FILE;

e2e('an applicant is told of each flagged stage by e-mail and follows its link to the status page', async ({ page, t }) => {
  if (!MAIL) return t.skip('no SMTP server (aiosmtpd): see run.sh');
  const address = `e2e.${Date.now()}@mail.kz`;
  await signIn(page, user('operator'));
  await visit(page, '/work/new');
  const form = page.locator('form#register');
  await form.locator('input[name=service_code]').fill(PREFERRED_SERVICE);
  await form.locator('input[name=last_name]').fill('Сәрсенова');
  await form.locator('input[name=first_name]').fill('Динара');
  await form.locator('select[name=channel]').selectOption('provider');
  const tax = form.locator('input[name=tax_id]');
  await tax.pressSequentially(IIN.valid, { delay: 10 });
  await eventually(async () => assert.ok((await textOf(page, '#tax-id-check')).length > 0, 'the IIN is checked'));
  // The contact: a phone that is no mobile number is refused beside its field first.
  await form.locator('input[name=contact_phone]').fill('+7 727 000 00 00');
  await form.locator('input[name=contact_email]').fill(address);
  await form.locator('select[name=contact_language]').selectOption('ru');
  let response = await submit(page, form.locator('button[type=submit]'));
  assert.ok(response.status() >= 400, 'a landline is refused');
  assert.ok((await textOf(page, '#contact_phone-error')).length > 0, 'the reason is beside the phone field');
  await page.locator('form#register input[name=contact_phone]').fill('');
  response = await submit(page, page.locator('form#register button[type=submit]'));
  assert.ok(response.status() < 400, `registered: ${response.status()} ${await alertText(page)}`);
  const m = pathOf(page).match(/^\/work\/applications\/(\d{13})$/);
  assert.ok(m, `lands on the application's page, not ${page.url()}`);
  const number = m[1];
  const formatted = `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8, 12)}-${number.slice(12)}`;
  // Staff see the address masked.
  assert.ok((await page.content()).includes(`${address[0]}***@mail.kz`), 'the contact is shown masked');
  assert.ok(!(await page.content()).includes(address), 'never in full');

  // Accepted: flagged.
  await eventually(() => assert.equal(mailTo(address).length, 1, 'the acceptance message arrived'), { timeout: 20_000 });
  assert.equal(mailTo(address)[0].subject, `Заявка ${formatted}: принято`);

  // Stages 2–4 are not flagged; 5 is.
  for (const stage of ['sent_for_execution', 'taken_into_work', 'executed', 'ready_for_issue']) {
    await submit(page, page.locator(`form#stage-form button[name=stage][value=${stage}]`));
    assert.equal(await alertText(page), '', `moving to ${stage}`);
  }
  await eventually(() => assert.equal(mailTo(address).length, 2, 'the ready-for-issue message arrived'), { timeout: 20_000 });
  const ready = mailTo(address)[1];
  assert.equal(ready.subject, `Заявка ${formatted}: готово к выдаче`);
  assert.ok(ready.body.includes(formatted), ready.body);
  const link = ready.body.match(/https?:\/\/\S+\/status/)?.[0];
  assert.equal(link, `${BASE_URL}/status`, 'the message links to the public status page');
  await signOut(page);

  // The applicant follows the link and asks.
  await page.goto(`${link}?lang=ru`);
  const status = page.locator('form#status-form');
  await status.locator('input[name=number]').fill(formatted);
  await status.locator('input[name=iin]').fill(IIN.valid);
  const answer = await submit(page, status.locator('button[type=submit]'));
  assert.equal(answer.status(), 200);
  assert.ok((await textOf(page, '[data-testid=status-stage]')).length > 0, 'the stage is said');
  await screenshot(page, 'informing-status-from-mail');
  assert.equal(mailTo(address).length, 2, 'nothing else was sent');
});
