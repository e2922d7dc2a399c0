// Browser tests: real chromium, real server (the demo partnership), real clicks.
//   node tests/browser/e2e.mjs BASE_URL SCREENSHOT_DIR
// The foundation's four flows are here: an admin adds an organisation and finds it (JavaScript on);
// the same with JavaScript off; a visit to every page type; and a switch to Welsh half way through a
// form. Each module's own flows live in flows/<module>.mjs, which exports `flows`, a list of
// { label, js, run }; they run after these, in file-name order. Every page a flow lands on is
// audited by lib.mjs. Prints one line per check and ends with "N passed, M failed"; exits 1 if any
// check failed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ACCOUNTS, audit, check, checkErrorSummary, flow, go, heading, navigating, shotDir, signIn, signOut, spent, t, tally,
} from './lib.mjs';

// ------------------------------------------------------------------ flow 1 and 2

async function createAndFind(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const word = `Brightwater${tab.js ? 'Js' : 'Plain'}${Date.now().toString(36)}`;
  const orgName = `${word} Tenants Forum`;

  await go(tab, '/');
  await audit(tab, 'start page');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('site.sign_in'), exact: true }).click());
  check(`${prefix}start page links to sign in`, new URL(page.url()).pathname === '/sign-in', page.url());
  await audit(tab, 'sign in');
  await page.locator('#email').fill(ACCOUNTS.admin.email);
  await page.locator('#password').fill(ACCOUNTS.admin.password);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('accounts.sign_in_button') }).click());
  check(`${prefix}sign in as admin`,
    (await page.locator('header').getByRole('button', { name: t('site.sign_out') }).count()) === 1, page.url());
  await audit(tab, 'start page, signed in');

  await go(tab, '/organisations');
  await navigating(tab, () => page.getByRole('button', { name: t('organisations.add_button') }).click());
  check(`${prefix}"${t('organisations.add_button')}" opens the form`,
    new URL(page.url()).pathname === '/organisations/new', page.url());
  await audit(tab, 'new organisation form');

  await navigating(tab, () => page.getByRole('button', { name: t('organisations.save_button') }).click());
  await audit(tab, 'new organisation form with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}empty organisation form`, ['name', 'kind', 'summary']);

  await page.locator('#name').fill(orgName);
  await page.locator('#kind').selectOption({ label: t('organisations.kind_community_group') });
  await page.locator('#summary').fill('Tenants in Brightwater meet each month to talk about repairs and rent.');
  await page.locator('#services').fill('Monthly meeting\nHelp with repair requests');
  await page.locator('#contact_email').fill('hello@brightwater.example.org');
  await navigating(tab, () => page.getByRole('button', { name: t('organisations.save_button') }).click());
  check(`${prefix}saved organisation page shows its name`, (await heading(tab)) === orgName, await heading(tab));
  check(`${prefix}saved organisation page says it was added`,
    (await page.locator('.govuk-notification-banner--success').innerText()).includes(t('organisations.flash_created')));
  const orgPath = new URL(page.url()).pathname;
  await audit(tab, 'organisation page after adding');

  await navigating(tab, () => page.locator('header').getByRole('link', { name: t('organisations.nav') }).click());
  await page.locator('#q').fill(word);
  await navigating(tab, () => page.locator('form[role=search]').getByRole('button', { name: t('organisations.search_button') }).click());
  const results = page.locator('.cp-result-list li');
  check(`${prefix}directory search finds only the new organisation`, (await results.count()) === 1,
    `${await results.count()} results for ${word}`);
  await audit(tab, 'directory search result');
  await navigating(tab, () => results.getByRole('link', { name: orgName }).click());
  check(`${prefix}search result opens the organisation page`,
    new URL(page.url()).pathname === orgPath && (await heading(tab)) === orgName, page.url());
  await audit(tab, 'organisation page');

  await signOut(tab);
  check(`${prefix}sign out`,
    (await page.locator('header').getByRole('link', { name: t('site.sign_in'), exact: true }).count()) === 1 &&
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('accounts.flash_signed_out')), page.url());
  await audit(tab, 'start page after signing out');
}

// ------------------------------------------------------------------ flow 3

async function everyPage(tab) {
  const page = tab.page;

  await go(tab, '/');
  await audit(tab, 'start');
  await go(tab, '/sign-in');
  await audit(tab, 'sign in');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('accounts.sign_in_button') }).click());
  await audit(tab, 'sign in with errors', { status: 400 });
  await checkErrorSummary(tab, 'empty sign in form', ['email']);
  await go(tab, '/sign-up');
  await audit(tab, 'sign up');
  await page.locator('#email').fill('not-an-email');
  await page.locator('#password').fill('short');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('accounts.sign_up_button') }).click());
  await audit(tab, 'sign up with errors', { status: 400 });
  await checkErrorSummary(tab, 'sign up form', ['name', 'email', 'password']);
  await go(tab, '/accessibility');
  await audit(tab, 'accessibility statement');
  await go(tab, '/privacy');
  await audit(tab, 'privacy notice');

  await go(tab, '/organisations');
  await audit(tab, 'organisations list');
  await navigating(tab, () => page.locator('.govuk-pagination').getByRole('link', { name: t('site.next') }).click());
  check('organisations list: "Next" goes to page 2', new URL(page.url()).searchParams.get('page') === '2', page.url());
  await audit(tab, 'organisations list, page 2');
  await page.locator('#q').fill('housing');
  await navigating(tab, () => page.locator('form[role=search]').getByRole('button', { name: t('organisations.search_button') }).click());
  check('organisations search for "housing" finds some', (await page.locator('.cp-result-list li').count()) > 0);
  await audit(tab, 'organisations search');
  await navigating(tab, () => page.locator('.cp-result-list a').first().click());
  const orgPath = new URL(page.url()).pathname;
  await audit(tab, 'organisation page');
  await go(tab, '/no-such-page');
  await audit(tab, 'page not found', { status: 404 });
  await go(tab, '/organisations/999999999');
  await audit(tab, 'organisation not found', { status: 404 });

  await signIn(tab, 'admin');
  await go(tab, '/partnership');
  await audit(tab, 'partnership overview');
  await go(tab, '/account');
  await audit(tab, 'your account');
  await go(tab, '/account/password');
  await audit(tab, 'change password');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('accounts.password_button') }).click());
  await audit(tab, 'change password with errors', { status: 400 });
  await checkErrorSummary(tab, 'empty change password form', ['current_password', 'new_password']);
  await go(tab, '/admin/users');
  await audit(tab, 'admin accounts list');
  await navigating(tab, () => page.locator('main table a').first().click());
  await audit(tab, 'admin account page');
  await go(tab, '/organisations/new');
  await audit(tab, 'new organisation form');
  // "Check my writing" is a plain form post: it shows the results and keeps what was typed.
  const jargon = 'We work with stakeholders in order to facilitate better services.';
  await page.locator('#summary').fill(jargon);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.web_check_button') }).click());
  const results = page.locator('#plain-check');
  check('check my writing: results shown with a reading age and a plainer word',
    (await results.count()) === 1 && (await results.innerText()).includes(t('plain.web_reading_age').split('{age}')[0]) &&
      (await results.innerText()).includes('in order to: try “to”'),
    (await results.count()) ? await results.innerText() : 'no #plain-check');
  check('check my writing: the typed text is kept', (await page.locator('#summary').inputValue()) === jargon);
  await audit(tab, 'new organisation form, check my writing');
  await go(tab, `${orgPath}/edit`);
  await audit(tab, 'edit organisation form');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, '/organisations/new');
  await audit(tab, 'not allowed (person opens the new organisation form)', { status: 403 });
  await signOut(tab);
}

// ------------------------------------------------------------------ flow 4

// The admin starts the organisation form in English, switches to Welsh on it, and gets the form,
// its errors and the next pages in Welsh; then switches back, which the account remembers too.
async function welshMidFlow(tab) {
  const page = tab.page;
  await signIn(tab, 'admin');
  await go(tab, '/organisations/new');
  const toWelsh = page.locator('a[hreflang="cy"]');
  check('Welsh: the switch link is in Welsh and names itself Welsh',
    (await toWelsh.innerText()).trim() === 'Cymraeg' && (await toWelsh.getAttribute('lang')) === 'cy');
  await navigating(tab, () => toWelsh.click());
  check('Welsh: the switch keeps the page', new URL(page.url()).pathname === '/organisations/new', page.url());
  check('Welsh: the form heading is in Welsh', (await heading(tab)) === t('organisations.new_heading', 'cy'),
    await heading(tab));
  await audit(tab, 'new organisation form in Welsh');
  await page.locator('#name').fill('Fforwm Tenantiaid');
  await navigating(tab, () => page.getByRole('button', { name: t('organisations.save_button', 'cy') }).click());
  await audit(tab, 'new organisation form with errors in Welsh', { status: 400 });
  const summary = page.locator('.govuk-error-summary');
  check('Welsh: error summary title in Welsh',
    (await summary.locator('h2').innerText()).trim() === t('site.there_is_a_problem', 'cy'));
  check('Welsh: form error in Welsh',
    (await summary.innerText()).includes(t('organisations.error_kind_missing', 'cy')), await summary.innerText());
  check('Welsh: what was typed is kept', (await page.locator('#name').inputValue()) === 'Fforwm Tenantiaid');
  await go(tab, '/');
  check('Welsh: the next page is in Welsh too',
    (await page.evaluate(() => document.documentElement.lang)) === 'cy' && (await heading(tab)) === t('site.start_heading', 'cy'));
  await audit(tab, 'start page in Welsh');
  await navigating(tab, () => page.locator('a[hreflang="en"]').click());
  check('Welsh: switching back gives English', (await heading(tab)) === t('site.start_heading'), await heading(tab));
  await signOut(tab);
}

// ------------------------------------------------------------------ main

const started = Date.now();
// BROWSER_ONLY=welsh,pb runs just those flow files (for working on one module); ./test runs all.
const only = (process.env.BROWSER_ONLY || '').split(',').filter(Boolean);
if (only.length === 0) {
  await flow('flow 1, admin adds and finds an organisation', true, createAndFind);
  await flow('flow 2, the same with JavaScript off', false, createAndFind);
  await flow('flow 3, every page type', true, everyPage);
  await flow('flow 4, switching to Welsh part way through', true, welshMidFlow);
}
const flowDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'flows');
const flowFiles = (fs.existsSync(flowDir) ? fs.readdirSync(flowDir).filter((f) => f.endsWith('.mjs')).sort() : [])
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));
for (const file of flowFiles) {
  const { flows } = await import(pathToFileURL(path.join(flowDir, file)).href);
  for (const f of flows) await flow(`${file.replace(/\.mjs$/, '')}: ${f.label}`, f.js, f.run);
}
const secs = (ms) => (ms / 1000).toFixed(1);
const { passed, failed } = tally();
console.log(`(took ${secs(Date.now() - started)} s, of which axe ${secs(spent.axe)} s and screenshots ` +
  `${secs(spent.screenshots)} s; screenshots are in ${shotDir})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
