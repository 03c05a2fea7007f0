// Issue 19 (001 §7–8, §14–20) in a real browser: a day at the counter's desk. A ticket is
// called; the operator identifies the applicant, ticks the service passport's checklist with
// one document missing and gives the refusal receipt naming it (its PDF read back: the Kazakh
// text and both QR codes decoded from the pixels); the complete package is accepted, its
// receipt and label printed (the Code 128 barcode decoded from the label's pixels); the
// package is scanned to the provider and back to the issue desk on the scanner page as a
// keyboard-wedge reader types it (a scan out of order refused with the reason); the result is
// issued after the identity check and the applicant rates the visit on the counter's tablet.
// Another result left uncollected shows on the storage shelf as due once its term is over.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminApi,
  assert,
  AXE_FAILING,
  axe,
  formatViolation,
  e2e,
  frontOffice,
  notAtMidnight,
  IIN,
  sql,
  screenshot,
  signIn,
  submit,
  textOf,
  user,
  visit,
} from './lib.mjs';

const OFFICE = 'E2E-DK';
const SERVICE = 'ARCH-001';
const api = adminApi;

/** The desk's office, its counter for the desk's operator: made once. */
let counterId = null;
async function office() {
  counterId ??= await frontOffice(OFFICE, user('desk'), { kk: 'E2E қабылдау бөлімі', ru: 'Отдел приёма E2E', en: 'E2E desk office' });
  return { counter: counterId };
}

const work = mkdtempSync(join(tmpdir(), 'qyzmet-desk-'));

/** Fetches a PDF with the page's session, writes it, and returns its path. */
async function pdfOf(page, path, name) {
  const r = await page.request.get(path);
  assert.equal(r.status(), 200, `${path}: ${r.status()}`);
  assert.equal(r.headers()['content-type'], 'application/pdf');
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, await r.body());
  return file;
}

const pdftotext = (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

/** The codes on the PDF's page, decoded from its pixels (300 dpi). */
function codesOf(file) {
  execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]);
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', '-Sqrcode.enable', file.replace(/\.pdf$/, '.png')], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** Fills the applicant, the identification and the consents of the acceptance form. */
async function fillApplicant(page) {
  await page.locator('#applicant_id').fill(IIN.valid);
  await page.locator('#last_name').fill('Ахметова');
  await page.locator('#first_name').fill('Әйгерім');
  await page.locator('#id_document').selectOption('identity_card');
  await page.locator('#id_number').fill('045112233');
  for (const k of ['personal_data', 'protected_data']) {
    await page.locator(`[data-testid=consent-${k}]`).check();
    await page.locator(`#consent-${k}-id`).fill(`F-${k}`);
  }
}

/** Ticks the checklist: the request and the identity document received unless `missing`,
 * the other documents asked only of some applicants marked as not applying. */
async function tick(page, missing) {
  const received = ['request', 'identity'].filter((c) => c !== missing);
  for (const row of await page.locator('[data-testid=accept-checklist] tbody tr').all()) {
    const code = await row.getAttribute('data-code');
    if (received.includes(code)) {
      await row.locator(`[data-testid=got-${code}]`).check();
    } else if (code !== missing && (await row.locator(`[data-testid=na-${code}]`).count()) > 0) {
      await row.locator(`[data-testid=na-${code}]`).check();
    }
  }
}

/** Scans `code` as `kind` on the scanner page as a keyboard-wedge reader does: the code, then
 * Enter. Returns the answer's text. */
async function wedge(page, kind, code) {
  await page.locator(`[data-testid=scan-kind-${kind}]`).check();
  const field = page.locator('[data-testid=scan-barcode]');
  await field.fill('');
  await field.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.type(`${code}\n`, { delay: 5 })]);
}

e2e('a called ticket is refused, then accepted, its package goes there and back, the result is issued and rated', async ({ page, context }) => {
  const { counter } = await office();
  await notAtMidnight();
  let r = await api('POST', `/api/v1/offices/${OFFICE}/tickets`, { purpose: 'acceptance', service_code: SERVICE });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const ticket = r.body.number;
  const ticketLink = r.body.id;

  // The operator calls the ticket and starts serving it.
  await signIn(page, user('desk'));
  await visit(page, '/counter');
  if ((await page.locator('[data-testid=counter-open]').count()) > 0) {
    await submit(page, page.locator('[data-testid=counter-open]'));
  }
  await submit(page, page.locator('[data-testid=call-next]'));
  assert.equal(await textOf(page, '[data-testid=current-number]'), ticket);
  await submit(page, page.locator('[data-testid=start]'));
  await submit(page, page.locator('[data-testid=counter-accept]'));
  assert.equal(await textOf(page, '[data-testid=accept-ticket]'), ticket, 'the acceptance knows its ticket');

  // (1) The request itself is missing: the refusal receipt names it, and only it.
  await fillApplicant(page);
  await tick(page, 'request');
  await screenshot(page, 'desk-checklist');
  await submit(page, page.locator('[data-testid=accept-submit]'));
  assert.equal(await page.locator('[data-testid=accept-outcome]').getAttribute('data-kind'), 'refusal');
  const missing = await page.locator('[data-testid=accept-missing] li').evaluateAll((l) => l.map((e) => e.dataset.code));
  assert.deepEqual(missing, ['request']);
  const refusalHref = await page.locator('[data-testid=accept-receipt-pdf]').getAttribute('href');
  const refusal = await pdfOf(page, refusalHref, 'refusal');
  const refusalText = pdftotext(refusal);
  assert.match(refusalText, /Құжаттарды қабылдаудан бас тарту туралы қолхат/, refusalText);
  assert.match(refusalText, /Архивтік анықтама беру туралы сұрау салу/, 'the missing document, in Kazakh');
  const refusalCodes = codesOf(refusal);
  assert.ok(refusalCodes.some((c) => c.startsWith('QZR1.')), `the seal: ${refusalCodes}`);
  assert.ok(refusalCodes.some((c) => c.includes('/rate/QZT2.')), `the rating link: ${refusalCodes}`);
  // The seal checks out on the public page.
  const check = await api('POST', '/api/v1/public/receipts/check', { token: refusalCodes.find((c) => c.startsWith('QZR1.')) });
  assert.equal(check.body.genuine, true, JSON.stringify(check.body));
  assert.deepEqual(check.body.receipt.missing, ['request']);

  // (2) The complete package: accepted, the application registered from the ticket.
  await submit(page, page.locator('[data-testid=accept-again]'));
  await fillApplicant(page);
  await tick(page, null);
  await submit(page, page.locator('[data-testid=accept-submit]'));
  assert.equal(await page.locator('[data-testid=accept-outcome]').getAttribute('data-kind'), 'acceptance');
  const number = await textOf(page, '[data-testid=accept-application]');
  const barcode = await textOf(page, '[data-testid=accept-barcode]');
  assert.match(barcode, /^QZ\d{13}$/);
  await screenshot(page, 'desk-accepted');
  const receipt = await pdfOf(page, await page.locator('[data-testid=accept-receipt-pdf]').getAttribute('href'), 'receipt');
  const receiptText = pdftotext(receipt);
  assert.ok(receiptText.includes(number), 'the application number on the receipt');
  assert.match(receiptText, /Құжаттарды қабылдау туралы қолхат/);
  const label = await pdfOf(page, await page.locator('[data-testid=accept-label-pdf]').getAttribute('href'), 'label');
  assert.deepEqual(codesOf(label), [barcode], 'the Code 128 barcode read from the label');
  const [ticketId] = sql(`SELECT t.public_id FROM acceptances a JOIN tickets t ON t.id = a.ticket_id WHERE a.outcome = 'accepted' AND a.app_id = (SELECT id FROM applications WHERE number = ${Number(number.replaceAll('-', ''))})`);
  assert.equal(ticketId, ticketLink, 'the acceptance is linked to the called ticket');

  // (3) The scanner page: the package goes to the provider and comes back to the issue desk.
  await visit(page, '/scan');
  await page.locator('#scan-office').selectOption(OFFICE);
  await wedge(page, 'from_provider', barcode);
  assert.match(await textOf(page, '[data-testid=scan-error]'), /to_provider/, 'out of order: what may come');
  await wedge(page, 'to_provider', barcode);
  assert.equal(await page.locator('[data-testid=scan-result]').count(), 1);
  assert.equal(await page.locator('[data-testid=scan-kind-to_provider]').isChecked(), true, 'the kind stays chosen');
  await wedge(page, 'from_provider', barcode);
  await wedge(page, 'to_issue_desk', barcode);
  assert.equal(await page.locator('[data-testid=scan-barcode]').evaluate((e) => e === document.activeElement), true, 'ready for the next package');
  await screenshot(page, 'desk-scanner');

  // (4) Issue at the desk: another person's IIN refused, the applicant's own accepted.
  await visit(page, `/counter/issue?counter=${counter}&barcode=${barcode}`);
  assert.equal(await page.locator('[data-testid=issue-form]').count(), 1);
  await page.locator('#iin').fill('900101300025');
  await page.locator('#id_number').fill('045112233');
  await submit(page, page.locator('[data-testid=issue-submit]'));
  assert.ok((await textOf(page, '[data-testid=issue-error]')).length > 0, 'another IIN is refused');
  await page.locator('#iin').fill(IIN.valid);
  await submit(page, page.locator('[data-testid=issue-submit]'));
  assert.equal(await page.locator('[data-testid=issue-done]').count(), 1);
  const [stage] = sql(`SELECT stage || ':' || COALESCE(outcome, '') FROM applications WHERE number = ${Number(number.replaceAll('-', ''))}`);
  assert.equal(stage, 'closed:issued');

  // (5) The applicant rates the visit on the counter's tablet.
  const tablet = await context.newPage();
  await tablet.goto(await page.locator('[data-testid=issue-rate-link]').getAttribute('href'));
  await tablet.locator('[data-testid=rate-score-5]').check();
  await tablet.locator('[data-testid=rate-information-satisfied]').check();
  await tablet.locator('[data-testid=rate-courtesy-satisfied]').check();
  await screenshot(tablet, 'desk-rating');
  await submit(tablet, tablet.locator('[data-testid=rate-submit]'));
  assert.equal(await tablet.locator('[data-testid=rate-thanks]').count(), 1);
  const [rated] = sql(`SELECT score || ':' || source FROM ratings r JOIN issuances i ON i.public_id = r.visit_id`);
  assert.equal(rated, '5:tablet');
  await tablet.close();
});

e2e('a result not collected is on the storage shelf, and due once its term is over', async ({ page }) => {
  await office();
  // Accepted through the API, brought back from the provider: on the shelf.
  const accepted = await api('POST', '/api/v1/acceptances', {
    office: OFFICE, service_code: SERVICE,
    applicant: { iin: IIN.valid, last_name: 'Серікова', first_name: 'Дана' },
    identification: { document: 'identity_card', number: '045000111' },
    documents: [{ code: 'request', form: 'original', count: 1 }, { code: 'identity', form: 'original_for_identification', count: 1 }],
    not_applicable: ['representative', 'third-party-consent', 'eds-request'],
    consents: [
      { kind: 'personal_data', source: 'paper', source_id: 'F-9' },
      { kind: 'protected_data', source: 'paper', source_id: 'F-10' },
    ],
  });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  const number = accepted.body.application.number;
  const barcode = `QZ${number.replaceAll('-', '')}`;
  for (const kind of ['to_provider', 'from_provider']) {
    const s = await api('POST', `/api/v1/packages/${barcode}/scans`, { kind, office: OFFICE });
    assert.equal(s.status, 201, JSON.stringify(s.body));
  }
  await signIn(page, user('desk'));
  await visit(page, `/office/${OFFICE}/storage`);
  assert.equal(await page.locator(`tr[data-application="${number}"] [data-testid=shelf-due-badge]`).count(), 0, 'not due today');
  // Two months on: the term is over, the result is due for return.
  const later = new Date(Date.now() + 62 * 86_400_000).toISOString().slice(0, 10);
  await visit(page, `/office/${OFFICE}/storage?on=${later}`);
  const row = page.locator(`tr[data-application="${number}"]`);
  assert.equal(await row.locator('[data-testid=shelf-due-badge]').count(), 1, 'due for return');
  assert.equal(await row.locator('[data-testid=shelf-past-badge]').count(), 1, 'not collected by the receipt\'s date');
  await screenshot(page, 'desk-shelf');
});

e2e('the results due are returned to their providers with a sealed register', async ({ page }) => {
  await office();
  // Accepted 75 days ago and back from the provider: its term ran out (the scans' clock moved
  // back 60 days in the database: the one step done behind the server's back).
  const accepted = new Date(Date.now() - 75 * 86_400_000).toISOString();
  const reg = await api('POST', '/api/v1/applications', {
    service_code: SERVICE, channel: 'state_corp', paper: true, acceptance_place: user('desk').org,
    executor: 'AKIM-AST-ARC', accepted_at: accepted,
    applicant: { iin: IIN.valid, last_name: 'Нұрланов', first_name: 'Ерлан' },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  const number = reg.body.number;
  const consents = await api('POST', `/api/v1/applications/${number}/consents`, { consents: [
    { kind: 'personal_data', source: 'paper', source_id: 'F-21' },
    { kind: 'protected_data', source: 'paper', source_id: 'F-22' },
  ] });
  assert.equal(consents.status, 200, JSON.stringify(consents.body));
  const barcode = `QZ${number.replaceAll('-', '')}`;
  for (const kind of ['to_provider', 'from_provider']) {
    const s = await api('POST', `/api/v1/packages/${barcode}/scans`, { kind, office: OFFICE });
    assert.equal(s.status, 201, JSON.stringify(s.body));
  }
  sql(`UPDATE events SET occurred_at = occurred_at - ${60 * 86_400 * 1_000_000} WHERE kind = 'scanned' AND app_id = (SELECT id FROM applications WHERE number = ${Number(number.replaceAll('-', ''))})`);

  await signIn(page, user('desk'));
  await visit(page, `/office/${OFFICE}/storage`);
  assert.equal(await page.locator(`tr[data-application="${number}"] [data-testid=shelf-due-badge]`).count(), 1, 'due today');
  // The return asks before it is made.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await submit(page, page.locator('[data-testid=shelf-return]'));
  assert.ok(asked.length > 0, 'a confirmation');
  assert.ok(Number(await textOf(page, '[data-testid=shelf-returned]')) >= 1);
  assert.equal(await page.locator(`tr[data-application="${number}"]`).count(), 0, 'off the shelf');
  await screenshot(page, 'desk-returned');
  const register = await pdfOf(page, await page.locator('[data-testid=shelf-register-pdf]').getAttribute('href'), 'register');
  const text = pdftotext(register);
  assert.match(text, /қайтару тізілімі/, text);
  assert.ok(text.includes(number), 'the application on the register');
  const codes = codesOf(register);
  assert.ok(codes.some((c) => c.startsWith('QZG1.')), `the register's seal: ${codes}`);
  const p = await api('GET', `/api/v1/packages/${barcode}`);
  assert.equal(p.body.whereabouts, 'returned_unclaimed');
});

e2e('the desk\'s pages pass the accessibility checks (WCAG 2.1 AA)', async ({ page }) => {
  await office();
  const failures = [];
  const check = async (label) => {
    for (const v of await axe(page)) {
      if (AXE_FAILING.includes(v.impact)) failures.push(formatViolation(v, label));
    }
  };
  // A refusal through the API gives a rating link to open.
  const refused = await api('POST', '/api/v1/acceptances', {
    office: OFFICE, service_code: SERVICE,
    applicant: { iin: IIN.valid, last_name: 'Әлиева', first_name: 'Мәдина' },
    identification: { document: 'passport', number: 'N0000001' },
    documents: [], not_applicable: ['representative', 'third-party-consent', 'eds-request'],
  });
  assert.equal(refused.status, 201, JSON.stringify(refused.body));
  await signIn(page, user('desk'));
  await visit(page, `/counter/accept?office=${OFFICE}&service=${SERVICE}`);
  await check('acceptance form');
  await visit(page, `/counter/issue?office=${OFFICE}`);
  await check('issue desk');
  await visit(page, '/scan');
  await check('scanner');
  await visit(page, `/office/${OFFICE}/storage`);
  await check('storage shelf');
  await visit(page, new URL(refused.body.receipt.rating_link).pathname);
  await check('rating');
  assert.deepEqual(failures, [], failures.join('\n'));
}, { context: { bypassCSP: true } });
