// "Check my writing" on the forms where people publish text: the asset survey and the offers
// form. Without JavaScript the button posts the form; the results come back with what was typed,
// and nothing is sent. Each form with its results is audited.
import { audit, check, go, navigating, signIn, t } from '../lib.mjs';

const jargonText = 'We meet in order to share soup with local stakeholders.';

async function checkOn(tab, path, fill, label) {
  const page = tab.page;
  await go(tab, path);
  await fill(page);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('plain.web_check_button') }).click());
  const results = await page.locator('#plain-check').innerText();
  check(`${label}: the check suggests plain words`, results.includes('“to”'), results);
  check(`${label}: nothing was sent`, new URL(page.url()).pathname !== '/assets/mine' && new URL(page.url()).pathname !== '/me/offers',
    page.url());
  await audit(tab, `${label} with the check`);
  return page;
}

async function surveyAndOffers(tab) {
  await signIn(tab, 'person');
  let page = await checkOn(tab, '/assets/new', async (p) => {
    await p.locator('#name').fill('Soup Circle');
    await p.locator('#what').fill(jargonText);
  }, 'asset survey');
  check('asset survey keeps what was typed',
    (await page.locator('#what').inputValue()) === jargonText && (await page.locator('#name').inputValue()) === 'Soup Circle');

  page = await checkOn(tab, '/me/offers/new', async (p) => {
    await p.locator('#title').fill('Soup for neighbours');
    await p.locator('#details').fill(jargonText);
  }, 'offer form');
  check('offer form keeps what was typed',
    (await page.locator('#details').inputValue()) === jargonText && (await page.locator('#title').inputValue()) === 'Soup for neighbours');
}

export const flows = [{ label: 'check my writing on the survey and offers forms', js: false, run: surveyAndOffers }];
