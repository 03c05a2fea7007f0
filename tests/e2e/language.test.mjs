// Languages (issue 4): Kazakh by default; the header's switcher turns the pages into Kazakh,
// Russian or English, and the choice is remembered for the user across sessions. The
// polyglot user is the only one whose language changes.

import {
  assert,
  e2e,
  htmlLang,
  screenshot,
  signIn,
  signOut,
  switchLanguage,
  textOf,
  user,
  visit,
} from './lib.mjs';

const INBOX_TITLE = { kk: 'Өтініштер', ru: 'Заявки', en: 'Applications' };

e2e('the sign-in page is in Kazakh by default', async ({ page }) => {
  await visit(page, '/sign-in');
  assert.equal(await htmlLang(page), 'kk');
});

e2e('the inbox in Kazakh, Russian and English; the choice is remembered', async ({ page }) => {
  const u = user('polyglot');
  await signIn(page, u);
  try {
    for (const lang of ['kk', 'ru', 'en']) {
      await switchLanguage(page, lang);
      assert.equal(await htmlLang(page), lang, `the page after switching to ${lang}`);
      await visit(page, '/work');
      assert.equal(await htmlLang(page), lang, `<html lang> of /work in ${lang}`);
      assert.equal(await textOf(page, 'h1'), INBOX_TITLE[lang], `the inbox's title in ${lang}`);
      await screenshot(page, `inbox-${lang}`);
    }
    await switchLanguage(page, 'ru');
    await signOut(page);
    await signIn(page, u);
    await visit(page, '/work');
    assert.equal(await htmlLang(page), 'ru', 'remembered across sessions');
    assert.equal(await textOf(page, 'h1'), INBOX_TITLE.ru);
  } finally {
    // Back to the default for later runs against the same database.
    await switchLanguage(page, 'kk').catch(() => {});
  }
});
