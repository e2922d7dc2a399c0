// The timebank's later parts: the worker opens the reports (chart and table) and sets up a rota (with
// a mistake first) and confirms last week's visit for someone offline; the demo person puts a
// volunteer forward for an award (with a mistake first); the admin confirms it from the queue and it
// shows on the thank-you wall; the person signs up for a rota date and finds it in "my rota dates".
// Every new page is audited.
import { audit, check, checkErrorSummary, go, navigating, signIn, signOut, t } from '../lib.mjs';

async function reportsAndRota(tab) {
  const page = tab.page;
  await signIn(tab, 'worker');
  await go(tab, '/timebank');
  await navigating(tab, () => page.locator(`main a[href="/timebank/reports"]`).click());
  await audit(tab, 'timebank reports');
  check('the reports page has a chart with a text alternative', (await page.locator('svg[role="img"] title').count()) === 1);
  check('the reports page has the figures in a table', (await page.locator('#report-table tbody tr').count()) === 12);
  check('the reports page offers a CSV', (await page.locator('a[href="/timebank/reports.csv"]').count()) === 1);

  await go(tab, '/timebank/rotas');
  await audit(tab, 'rotas');
  await go(tab, '/timebank/rotas/new');
  await audit(tab, 'new rota');
  await page.locator('#helped').selectOption({ index: 1 });
  await page.locator('#title').fill('');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.rota_create_button') }).click());
  await audit(tab, 'new rota with an error', { status: 400 });
  await checkErrorSummary(tab, 'rota form', ['title']);
  await page.locator('#title').fill('Lunch club lift');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.rota_create_button') }).click());
  check('setting up a rota goes to its page', /^\/timebank\/rotas\/\d+$/.test(new URL(page.url()).pathname), page.url());
  check('the new rota has eight dates', (await page.locator('#slots > li').count()) === 8);
  await audit(tab, 'rota page (broker)');

  // The demo's shopping rota: last week's visit is done on the volunteer's side; the worker confirms
  // for the person helped, who has no phone.
  await go(tab, '/timebank/rotas');
  await navigating(tab, () => page.locator('#rotas a', { hasText: 'Weekly shopping delivery' }).click());
  const confirmFor = page.getByRole('button', { name: t('timebank.slot_confirm_for_helped') });
  check('the worker can confirm last week for the person helped', (await confirmFor.count()) >= 1);
  await navigating(tab, () => confirmFor.first().click());
  check('both sides confirmed: the hours moved', (await page.getByText(t('timebank.flash_slot_credited')).count()) > 0);
  await signOut(tab);
}

async function nominate(tab) {
  const page = tab.page;
  const reason = `Always there on a Thursday ${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  await signIn(tab, 'person');
  await go(tab, '/timebank/awards');
  await audit(tab, 'thank you wall');
  await navigating(tab, () => page.locator('main a[href="/timebank/awards/nominate"]').first().click());
  await audit(tab, 'nominate');
  const sam = await page.locator('#nominee option', { hasText: 'Sam Duncan' }).getAttribute('value');
  await page.locator('#nominee').selectOption(sam);
  await page.locator('#kind').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.nominate_button') }).click());
  await audit(tab, 'nominate with an error', { status: 400 });
  await checkErrorSummary(tab, 'nominate form', ['reason']);
  check('the nominate form keeps what was chosen',
    (await page.locator('#nominee').inputValue()) === sam && (await page.locator('#kind').isChecked()));
  await page.locator('#reason').fill(reason);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.nominate_button') }).click());
  check('nominating goes back to the wall', new URL(page.url()).pathname === '/timebank/awards', page.url());
  check('the nomination is not on the wall yet', (await page.getByText(reason).count()) === 0);
  await signOut(tab);
  return { reason, sam };
}

async function confirmAward(tab, { reason, sam }) {
  const page = tab.page;
  await signIn(tab, 'admin');
  await go(tab, '/timebank/awards/queue');
  await audit(tab, 'awards to check');
  const card = page.locator('.govuk-summary-card', { hasText: reason });
  check('the admin sees the nomination', (await card.count()) === 1);
  await navigating(tab, () => card.getByRole('button', { name: t('timebank.award_confirm_button') }).click());
  check('confirming says so', (await page.getByText(t('timebank.flash_award_confirmed')).count()) > 0);
  await go(tab, '/timebank/awards');
  check('the award is on the wall', (await page.getByText(reason).count()) === 1);
  await go(tab, `/timebank/members/${sam}`);
  check('the award is on the member page', (await page.locator('#member-awards').getByText(reason).count()) === 1);
  await audit(tab, 'member page with an award');
  await signOut(tab);
}

async function signUp(tab) {
  const page = tab.page;
  await signIn(tab, 'person');
  await go(tab, '/timebank/rotas');
  await navigating(tab, () => page.locator('#rotas a', { hasText: 'Weekly shopping delivery' }).click());
  await audit(tab, 'rota page (member)');
  const button = page.getByRole('button', { name: t('timebank.slot_sign_up') }).first();
  const slot = await button.locator('xpath=ancestor::li[1]').getAttribute('id');
  await navigating(tab, () => button.click());
  check('signing up says so', (await page.getByText(t('timebank.flash_slot_signed_up')).count()) > 0);
  check('the date is now taken', (await page.locator(`#${slot}`).getByText(t('timebank.slot_taken')).count()) === 1);
  await go(tab, '/timebank/rotas/mine');
  await audit(tab, 'my rota dates');
  check('my rota dates lists it', (await page.locator(`#my-volunteering #${slot}`).count()) === 1);
  await navigating(tab, () => page.locator(`#${slot}`).getByRole('button', { name: t('timebank.slot_withdraw') }).click());
  check('withdrawing frees the date', (await page.locator(`#my-volunteering #${slot}`).count()) === 0);
  await signOut(tab);
}

export const flows = [
  {
    label: 'timebank reports, awards and rotas',
    js: true,
    run: async (tab) => {
      await reportsAndRota(tab);
      await confirmAward(tab, await nominate(tab));
      await signUp(tab);
    },
  },
  {
    label: 'timebank awards and rotas without JavaScript',
    js: false,
    run: async (tab) => {
      await confirmAward(tab, await nominate(tab));
      await signUp(tab);
    },
  },
];
