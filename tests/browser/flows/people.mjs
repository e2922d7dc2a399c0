// People's offers and matching: the demo person records an offer (getting an error first) and sees
// it, with JavaScript on and off; the demo worker matches a need near KY1 and reads why each result
// is there. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, navigating, signIn, t } from '../lib.mjs';

async function recordOffer(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `Walk dogs ${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  await signIn(tab, 'person');
  await go(tab, '/me/offers');
  await audit(tab, 'my offers');
  await navigating(tab, () => page.getByRole('button', { name: t('capabilities.add_button') }).click());
  check(`${prefix}"${t('capabilities.add_button')}" opens the form`, new URL(page.url()).pathname === '/me/offers/new', page.url());
  await audit(tab, 'new offer form');

  // First try: no title, and a postcode that is not one.
  await page.locator('#kind').check();
  await page.locator('#topic').selectOption({ label: t('capabilities.topic_other') });
  await page.locator('#details').fill('I love dogs and walk every day.');
  await page.locator('#postcode').fill('nowhere');
  await page.locator('#days-TU').check();
  await page.locator('#visibility-members').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('capabilities.save_button') }).click());
  await audit(tab, 'new offer form with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}offer form`, ['title', 'postcode']);
  check(`${prefix}offer form keeps what was typed`,
    (await page.locator('#details').inputValue()) === 'I love dogs and walk every day.' &&
    (await page.locator('#days-TU').isChecked()) && (await page.locator('#visibility-members').isChecked()));

  await page.locator('#title').fill(title);
  await page.locator('#postcode').fill('KY1');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('capabilities.save_button') }).click());
  check(`${prefix}saving goes back to my offers`, new URL(page.url()).pathname === '/me/offers', page.url());
  check(`${prefix}the new offer is listed`, (await page.getByRole('link', { name: title, exact: true }).count()) === 1);
  check(`${prefix}the saved message shows`, (await page.getByText(t('capabilities.flash_offer_saved')).count()) > 0);
  await audit(tab, 'my offers with the new one');

  await navigating(tab, () => page.getByRole('link', { name: title, exact: true }).click());
  check(`${prefix}the offer page shows the area`, (await page.getByText('KY1', { exact: true }).count()) === 1);
  await audit(tab, 'one offer');
  if (tab.js) {
    await go(tab, '/offers');
    check('browse shows what members shared', (await page.getByRole('link', { name: title, exact: true }).count()) === 1);
    await audit(tab, 'offers people share');
  }
}

async function matchNeed(tab) {
  const page = tab.page;
  await signIn(tab, 'worker');
  await go(tab, '/match');
  await audit(tab, 'match a need');
  await page.locator('#q').fill('help with CV');
  await page.locator('#postcode').fill('KY1');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('matching.button') }).click());
  const url = new URL(page.url());
  check('the need is in the address, so it can be shared', url.searchParams.get('q') === 'help with CV', page.url());
  const results = page.locator('ol.cp-result-list > li');
  const n = await results.count();
  check('matching finds several things', n >= 3, `${n} results`);
  const why = await page.locator('.cp-why').allInnerTexts();
  check('every result says why', why.length === n && why.every((w) => w.trim().length > 0));
  check('results say how far away they are', why.some((w) => / (km|m) away/.test(w)), why.join(' | '));
  check('a person\'s offer shared with members is found',
    (await page.getByRole('link', { name: 'Help with a CV and job forms' }).count()) === 1);
  check('an offer only for a key worker is not', (await page.getByText('Polish and English chat').count()) === 0);
  await audit(tab, 'match results');

  // Who the help is for: a carer's need finds the carers' groups and says so.
  check('the match form asks who the help is for', (await page.locator('#eligibility-carers').count()) === 1);
  await go(tab, '/match?q=carers&eligibility=carers');
  const carerWhy = (await page.locator('.cp-why').allInnerTexts()).join(' | ').toLowerCase();
  check('a match says it is for carers', carerWhy.includes(t('matching.why_for').replace('{group}', t('directory.group_carers'))),
    carerWhy);
  check('a place only for parents is left out', (await page.getByRole('link', { name: 'Stay and play for parents' }).count()) === 0);
  await audit(tab, 'match for a carer');
  await navigating(tab, () => page.getByRole('link', { name: 'Carers coffee morning' }).click());
  check('the service page says who it is for',
    (await page.locator('#eligibility').innerText()).includes(t('directory.for_group').replace('{group}', t('directory.group_carers'))));
  await audit(tab, 'a service for carers');
  await go(tab, '/match?q=help with CV&postcode=KY1');

  // A postcode that does not exist gets a clear error.
  await page.locator('#postcode').fill('KY99 9ZZ');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('matching.button') }).click());
  await audit(tab, 'match with an unknown postcode', { status: 400 });
  await checkErrorSummary(tab, 'match form', ['postcode']);

  await go(tab, '/me/offers/new');
  check('a worker can record an offer for a person', (await page.locator('#person_email').count()) === 1);
  await audit(tab, 'new offer form for a worker');
}

export const flows = [
  { label: 'a person records an offer', js: true, run: recordOffer },
  { label: 'a person records an offer without JavaScript', js: false, run: recordOffer },
  { label: 'a worker matches a need', js: true, run: matchNeed },
];
