// The directory's pages: a person searches near KY1 and opens a service; a postcode we do not know
// gets a plain message; a person suggests a community place (with a mistake first), the manager sees
// the services waiting for a check, and the admin adds the suggestion so it shows in search. The
// suggestion flow runs again with JavaScript off. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function searchNear(tab) {
  const page = tab.page;
  await go(tab, '/services');
  await audit(tab, 'find services');
  await page.locator('#near').fill('KY1');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.search_button') }).click());
  const url = new URL(page.url());
  check('search near KY1 goes to the results', url.pathname === '/services' && url.searchParams.get('near') === 'KY1', page.url());
  await audit(tab, 'services near KY1');
  const distances = await page.locator('.cp-result-list .cp-distance').allInnerTexts();
  const km = distances.map((d) => parseFloat(d));
  check('results near KY1 show how far away they are', km.length > 0 && distances[0].includes('km'), distances.slice(0, 3).join(' | '));
  check('results near KY1 are nearest first', km.every((v, i) => i === 0 || km[i - 1] <= v), km.slice(0, 8).join(', '));

  const first = page.locator('.cp-result-list h2 a').first();
  const name = (await first.innerText()).trim();
  await navigating(tab, () => first.click());
  check('a result opens its page', (await heading(tab)) === name, `${await heading(tab)} vs ${name}`);
  check('the service page says when it was last checked or updated',
    (await page.locator('#freshness').innerText()).length > 0);
  await audit(tab, 'service page');

  await go(tab, '/services?near=KY99+9ZZ');
  await audit(tab, 'services near an unknown postcode', { status: 400 });
  await checkErrorSummary(tab, 'unknown postcode', ['near']);
  check('the unknown postcode is kept in the box', (await page.locator('#near').inputValue()) === 'KY99 9ZZ');
}

async function suggestAndApprove(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const name = `Harbour knit and natter ${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  const what = 'Bring some wool, or borrow ours. Tea and a blether.';

  await signIn(tab, 'person');
  await go(tab, '/services');
  await navigating(tab, () => page.getByRole('link', { name: t('directory.suggest_link') }).click());
  check(`${prefix}the directory links to the suggestion form`, new URL(page.url()).pathname === '/assets/new', page.url());
  await audit(tab, 'suggest a place');

  // First try: no name and a postcode that is not one.
  await page.locator('#asset_kind').selectOption('community_group');
  await page.locator('#what').fill(what);
  await page.locator('#place_name').fill('Lowhaven harbour hall');
  await page.locator('#postcode').fill('nowhere');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.suggest_button') }).click());
  await audit(tab, 'suggest a place with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}suggestion form`, ['name', 'postcode']);
  check(`${prefix}suggestion form keeps what was typed`,
    (await page.locator('#what').inputValue()) === what && (await page.locator('#asset_kind').inputValue()) === 'community_group');

  await page.locator('#name').fill(name);
  await page.locator('#postcode').fill('KY1 1AB');
  await page.locator('#when_text').fill('Thursdays 2pm to 4pm');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.suggest_button') }).click());
  check(`${prefix}sending goes to your suggestions`, new URL(page.url()).pathname === '/assets/mine', page.url());
  check(`${prefix}the suggestion is waiting`, (await page.locator('li', { hasText: name }).getByText(t('directory.status_waiting')).count()) === 1);
  await audit(tab, 'your suggestions');
  await signOut(tab);

  // The manager of Lowhaven Community Hub has services nobody has checked for months.
  await signIn(tab, 'manager');
  await go(tab, '/services/review');
  await audit(tab, 'services that need checking');
  check(`${prefix}the manager's overdue services are listed`, (await page.getByRole('link', { name: 'Lowhaven job club' }).count()) === 1);
  await navigating(tab, () => page.getByRole('link', { name: 'Lowhaven job club' }).click());
  check(`${prefix}an overdue service is tagged for staff`, (await page.getByText(t('directory.needs_checking')).count()) === 1);
  await audit(tab, 'overdue service, as its manager');
  await signOut(tab);

  await signIn(tab, 'admin');
  await go(tab, '/assets/queue');
  await audit(tab, 'suggestions waiting');
  const section = page.locator('section', { hasText: name });
  check(`${prefix}the suggestion is in the queue`, (await section.count()) === 1);
  await navigating(tab, () => section.getByRole('button', { name: t('directory.approve_button') }).click());
  check(`${prefix}approving goes back to the queue`, new URL(page.url()).pathname === '/assets/queue', page.url());
  check(`${prefix}the added message shows`, (await page.getByText(t('directory.flash_approved')).count()) > 0);
  check(`${prefix}the suggestion has left the queue`, (await page.locator('section', { hasText: name }).count()) === 0);
  await audit(tab, 'suggestions after adding one');

  await go(tab, `/services?q=${encodeURIComponent(name)}&near=KY1`);
  check(`${prefix}the new place shows in search`, (await page.getByRole('link', { name }).count()) === 1);
  await navigating(tab, () => page.getByRole('link', { name }).click());
  check(`${prefix}the new place says when it is on`, (await page.getByText('Thursdays 2pm to 4pm').count()) === 1);
  await audit(tab, 'new community place');
}

export const flows = [
  { label: 'search near KY1 and open a service', js: true, run: searchNear },
  { label: 'suggest a place, admin adds it', js: true, run: suggestAndApprove },
  { label: 'suggest a place, admin adds it', js: false, run: suggestAndApprove },
];
