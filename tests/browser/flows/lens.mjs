// The learning lens. A commissioner reads the partnership's dashboard (charts with tables, prompts
// and the learning log), looks closer at one organisation, and writes in the learning log (error
// summary first, then saved and shown under its chart). A manager is sent to their own
// organisation's figures. The dashboard in Welsh. With and without JavaScript.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function dashboardAndLog(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const concluded = `Fewer lone parents come to us than we expected (${tab.js ? 'js' : 'nojs'} ${Date.now()})`;
  await signIn(tab, 'commissioner');
  await go(tab, '/lens');
  await audit(tab, 'learning lens');
  const main = page.locator('main');
  check(`${prefix}every chart has a table`, (await main.locator('table').count()) === 15, `${await main.locator('table').count()} tables`);
  check(`${prefix}charts are drawn with a title`, (await main.locator('svg[role="img"] title').count()) >= 10);
  check(`${prefix}each chart has its prompt`, (await main.getByText(t('lens.prompt_heading'), { exact: true }).count()) === 15);
  const people = await main.locator('#chart-stages').locator('xpath=..').locator('tr', { hasText: t('lens.total_people') }).innerText();
  const n = parseInt(people.replace(/[^0-9]/g, ''), 10);
  check(`${prefix}the demo partnership has people to count`, n >= 50, people);
  check(`${prefix}the demo learning log shows under its chart`,
    (await main.innerText()).includes('Fewer lone parents come to us than we expected. Most who come find work.'));
  check(`${prefix}downloads are offered`, (await main.getByRole('link', { name: t('lens.download_xlsx') }).count()) === 1);

  await page.locator('#organisation').selectOption({ label: 'Lowhaven Community Hub' });
  await navigating(tab, () => page.getByRole('button', { name: t('lens.show_button') }).click());
  await audit(tab, 'learning lens for one organisation');
  check(`${prefix}the organisation's dashboard`, (await heading(tab)) === 'Lowhaven Community Hub', await heading(tab));

  await navigating(tab, () => page.locator('#chart-group_age_band').locator('xpath=..')
    .getByRole('link', { name: new RegExp(t('lens.write_link')) }).click());
  await audit(tab, 'learning log form');
  check(`${prefix}the chart is chosen`, (await page.locator('#chart').inputValue()) === 'group_age_band');
  await page.locator('#review_day').fill('31');
  await page.locator('#review_month').fill('2');
  await page.locator('#review_year').fill('2027');
  await navigating(tab, () => page.getByRole('button', { name: t('lens.save_entry') }).click());
  await audit(tab, 'learning log with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}empty entry with a wrong date`, ['concluded', 'review_day']);
  check(`${prefix}what was typed is kept`, (await page.locator('#review_month').inputValue()) === '2');
  await page.locator('#concluded').fill(concluded);
  await page.locator('#will_try').fill('Ask the young people’s group what would help.');
  await page.locator('#review_month').fill('3');
  await navigating(tab, () => page.getByRole('button', { name: t('lens.save_entry') }).click());
  check(`${prefix}the entry is saved`, (await page.locator('.govuk-notification-banner').innerText()).includes(t('lens.flash_logged')));
  check(`${prefix}it shows under its chart`,
    (await page.locator('#chart-group_age_band').locator('xpath=..').innerText()).includes(concluded));
  await go(tab, '/lens/log');
  await audit(tab, 'learning log');
  check(`${prefix}the log lists it`, (await page.locator('main').innerText()).includes(concluded));
  await go(tab, '/lens?lang=cy');
  await audit(tab, 'learning lens in Welsh');
  check(`${prefix}Welsh readers see Welsh`, (await heading(tab)).length > 0 &&
    (await page.locator('main').innerText()).includes(t('lens.prompt_heading', 'cy')));
  await go(tab, '/lens?lang=en');
  await signOut(tab);

  await signIn(tab, 'manager');
  await go(tab, '/lens');
  check(`${prefix}a manager is sent to their organisation`, new URL(page.url()).pathname.startsWith('/lens/organisations/'));
  await audit(tab, 'learning lens for a manager');
  await signOut(tab);
}

export const flows = [
  { label: 'learning lens and its log', js: true, run: dashboardAndLog },
  { label: 'learning lens and its log (no JS)', js: false, run: dashboardAndLog },
];
