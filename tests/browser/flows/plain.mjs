// The plain-language assistant: the demo admin adds a word to the partnership's list (getting an
// error first) and the organisation form's "Check my writing" finds it; a Welsh check shows no
// English scores; with JavaScript on, the results update as the person types; the writing guide
// is Easy Read in both languages. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, navigating, signIn, t } from '../lib.mjs';

const readingAgePrefix = t('plain.web_reading_age').split('{')[0];  // "Reading age: "

async function adminAddsAWord(tab) {
  const page = tab.page;
  const phrase = `wraparound pathway ${Date.now().toString(36)}`;
  await signIn(tab, 'admin');
  await go(tab, '/admin/plain');
  await audit(tab, 'plain English settings');
  await navigating(tab, () => page.getByRole('button', { name: t('plain.jargon_add') }).click());
  check('"Add a word" opens the form', new URL(page.url()).pathname === '/admin/plain/jargon/new', page.url());
  await audit(tab, 'add a word');
  await page.locator('#alternatives').fill('help with everything');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.jargon_save') }).click());
  await audit(tab, 'add a word with errors', { status: 400 });
  await checkErrorSummary(tab, 'word form', ['phrase']);
  check('word form keeps what was typed', (await page.locator('#alternatives').inputValue()) === 'help with everything');
  await page.locator('#phrase').fill(phrase);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.jargon_save') }).click());
  check('saving goes back to the settings', new URL(page.url()).pathname === '/admin/plain', page.url());
  check('the new word is listed', (await page.getByRole('cell', { name: phrase, exact: true }).count()) === 1);
  await audit(tab, 'plain English settings with the new word');
  await navigating(tab, () => page.getByRole('row').filter({ hasText: phrase }).getByRole('link', { name: t('plain.change') }).click());
  check('"Change" opens the word with what was saved', (await page.locator('#phrase').inputValue()) === phrase, page.url());
  await audit(tab, 'change a word');

  await go(tab, '/organisations/new');
  await page.locator('#name').fill('Plain Check Forum');
  await page.locator('#kind').selectOption({ index: 1 });
  await page.locator('#summary').fill(`We offer a ${phrase} to every family in the area.`);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.web_check_button') }).click());
  const results = page.locator('#plain-check');
  const marked = await results.locator('mark').allInnerTexts();
  check('the check marks the partnership\'s word', marked.includes(phrase), marked.join(' | '));
  check('the check suggests the plain words', (await results.innerText()).includes('“help with everything”'));
  check('nothing was saved', new URL(page.url()).pathname === '/organisations', page.url());
  await audit(tab, 'organisation form with the check');

  await go(tab, '/admin/plain/report');
  check('the report lists published pages', (await page.locator('table.govuk-table tbody tr').count()) > 0);
  await audit(tab, 'hardest pages to read');
}

async function welshCheck(tab) {
  const page = tab.page;
  await signIn(tab, 'person');
  await go(tab, '/plain/check');
  await audit(tab, 'check your writing');
  await page.locator('#text').fill('Rydyn ni’n credu mewn cyd-gynhyrchu gyda phob teulu. Mae hyn yn bwysig i ni.');
  await page.locator('#lang-cy').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.web_check_button') }).click());
  const text = await page.locator('#plain-check').innerText();
  check('Welsh: no reading age', !text.includes(readingAgePrefix), text);
  check('Welsh: says why there are no scores', text.includes(t('plain.web_welsh_note')), text);
  check('Welsh: the partnership\'s Welsh word is found with its Welsh alternative',
    text.includes('cyd-gynhyrchu') && text.includes('gweithio gyda\'n gilydd'), text);
  check('Welsh: the language choice is kept', await page.locator('#lang-cy').isChecked());
  check('Welsh: the results say the text is Welsh', (await page.locator('#plain-check [lang="cy"]').count()) > 0);
  await audit(tab, 'check your writing, Welsh results');
}

async function asYouType(tab) {
  const page = tab.page;
  await signIn(tab, 'person');
  await go(tab, '/plain/check');
  const region = page.locator('#plain-check');
  check('as you type: the results region is polite live region', (await region.getAttribute('aria-live')) === 'polite');
  await page.locator('#text').pressSequentially('We work with stakeholders in order to help.', { delay: 5 });
  await region.locator('mark').first().waitFor({ timeout: 8000 }).catch(() => {});
  const marks = await region.locator('mark').allInnerTexts();
  check('as you type: jargon is marked without sending the form', marks.includes('stakeholders') && marks.includes('in order to'),
    marks.join(' | '));
  check('as you type: still on the same page', new URL(page.url()).pathname === '/plain/check', page.url());
  check('as you type: an English reading age is shown', (await region.innerText()).includes(readingAgePrefix));
  await audit(tab, 'check your writing, results as you type');
  await page.locator('#lang-cy').check();
  await page.waitForFunction((p) => {
    const r = document.getElementById('plain-check');
    return r && r.innerText.length > 0 && !r.innerText.includes(p);
  }, readingAgePrefix, { timeout: 8000 }).catch(() => {});
  check('as you type: choosing Welsh removes the English scores', !(await region.innerText()).includes(readingAgePrefix));
}

async function easyRead(tab) {
  const page = tab.page;
  await go(tab, '/plain/guide');
  await audit(tab, 'writing guide (Easy Read)');
  const lines = await page.locator('.cp-easy-read__line').allInnerTexts();
  check('Easy Read: one sentence on each line', lines.length >= 10 && lines.every((l) => /[.!?"”]$/.test(l)), lines.join(' | '));
  const spacing = await page.locator('.cp-easy-read__line').first().evaluate((el) => {
    const s = getComputedStyle(el);
    return parseFloat(s.lineHeight) / parseFloat(s.fontSize);
  });
  check('Easy Read: generous line spacing', spacing >= 1.7, String(spacing));
  await go(tab, '/plain/guide?lang=cy');
  check('Easy Read: the Welsh guide is marked Welsh', (await page.locator('.cp-easy-read[lang="cy"]').count()) > 0);
  await audit(tab, 'writing guide in Welsh (Easy Read)');
}

export const flows = [
  { label: 'plain English: an admin adds a word and the form check finds it', js: false, run: adminAddsAWord },
  { label: 'plain English: a Welsh check shows no English scores', js: false, run: welshCheck },
  { label: 'plain English: results as you type', js: true, run: asYouType },
  { label: 'plain English: the Easy Read guide', js: true, run: easyRead },
];
