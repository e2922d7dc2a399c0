// The timebank's pages: the demo person records time she gave the demo worker (with a mistake in the
// hours first), the worker signs in, finds it waiting and confirms it, and both balances move by the
// same hours. The recording runs again with JavaScript off. Every timebank page is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function balance(tab) {
  await go(tab, '/timebank/me');
  return parseFloat(await tab.page.locator('#balance').innerText());
}

async function record(tab, hours) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const what = `Lift to the shops ${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  await go(tab, '/timebank/me');
  await navigating(tab, () => page.locator('main a[href="/timebank/exchanges/new"]').first().click());
  check(`${prefix}my timebank links to the record form`, new URL(page.url()).pathname === '/timebank/exchanges/new', page.url());
  await audit(tab, 'record time');

  // First try: hours that are not a number.
  const sam = await page.locator('#other option', { hasText: 'Sam Duncan' }).getAttribute('value');
  await page.locator('#other').selectOption(sam);
  await page.locator('#direction').check();
  await page.locator('#hours').fill('an hour');
  await page.locator('#description').fill(what);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.record_button') }).click());
  await audit(tab, 'record time with an error', { status: 400 });
  await checkErrorSummary(tab, `${prefix}record form`, ['hours']);
  check(`${prefix}the record form says what is wrong with the hours`,
    (await page.locator('#hours-error').innerText()).includes(t('timebank.error_hours_number')));
  check(`${prefix}the record form keeps what was typed`,
    (await page.locator('#description').inputValue()) === what && (await page.locator('#other').inputValue()) === sam &&
    (await page.locator('#direction').isChecked()));

  await page.locator('#hours').fill(hours);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.record_button') }).click());
  check(`${prefix}recording goes to the exchange`, /^\/timebank\/exchanges\/\d+$/.test(new URL(page.url()).pathname), page.url());
  check(`${prefix}the exchange is waiting`, (await page.locator('#status').innerText()).trim() === t('timebank.status_pending'));
  check(`${prefix}the recorder is told the other person must confirm`,
    (await page.getByText(t('timebank.waiting_for_other')).count()) === 1);
  await audit(tab, 'exchange waiting');
  return { url: new URL(page.url()).pathname, what };
}

async function recordAndConfirm(tab) {
  const page = tab.page;
  await signIn(tab, 'person');
  await go(tab, '/timebank');
  await audit(tab, 'timebank home');
  const joBefore = await balance(tab);
  await audit(tab, 'my timebank');
  const { url, what } = await record(tab, '1.5');
  await signOut(tab);

  await signIn(tab, 'worker');
  const samBefore = await balance(tab);
  check('the worker sees the exchange waiting to confirm', (await page.locator(`#to-confirm ~ ul a[href="${url}"]`).count()) === 1);
  await navigating(tab, () => page.locator(`a[href="${url}"]`).first().click());
  check('the worker can confirm', (await page.getByRole('button', { name: t('timebank.confirm_button') }).count()) === 1);
  await audit(tab, 'exchange to confirm');
  await navigating(tab, () => page.getByRole('button', { name: t('timebank.confirm_button') }).click());
  check('confirming says the hours moved', (await page.getByText(t('timebank.flash_confirm')).count()) > 0);
  check('the exchange is confirmed', (await page.locator('#status').innerText()).trim() === t('timebank.status_confirmed'));
  await audit(tab, 'exchange confirmed');
  await page.locator('#message').fill('Thanks Jo, that was a big help.');
  await navigating(tab, () => page.getByRole('button', { name: t('timebank.thanks_button') }).click());
  check('the thank-you shows on the exchange', (await page.getByText('Thanks Jo, that was a big help.').count()) === 1);
  const samAfter = await balance(tab);
  check('the worker paid 1.5 hours', Math.abs(samBefore - 1.5 - samAfter) < 1e-9, `${samBefore} -> ${samAfter}`);
  check('the history names the exchange', (await page.getByText(what).count()) > 0);

  await go(tab, '/timebank/broker');
  await audit(tab, 'broker page');
  await go(tab, '/timebank/offers');
  await audit(tab, 'offers');
  await go(tab, '/timebank/requests?q=lift');
  await audit(tab, 'requests search');
  await go(tab, '/timebank/listings/new?kind=offer');
  await audit(tab, 'offer help');
  await go(tab, '/timebank');
  const firstMember = page.locator('a[href^="/timebank/members/"]').first();
  await navigating(tab, () => firstMember.click());
  check('a member page opens from the timebank home', /^\/timebank\/members\/\d+$/.test(new URL(page.url()).pathname), page.url());
  await audit(tab, 'member page');
  await signOut(tab);

  await signIn(tab, 'person');
  const joAfter = await balance(tab);
  check('the person earned 1.5 hours', Math.abs(joBefore + 1.5 - joAfter) < 1e-9, `${joBefore} -> ${joAfter}`);
  check('the person sees the thanks on her page', await (async () => {
    const link = page.getByRole('link', { name: t('timebank.see_my_page') });
    await navigating(tab, () => link.click());
    return (await page.getByText('Thanks Jo, that was a big help.').count()) === 1;
  })());
  await signOut(tab);

  // Someone who has not joined yet gets the join form.
  await signIn(tab, 'councillor');
  await go(tab, '/timebank');
  await navigating(tab, () => page.locator('main a[href="/timebank/join"]').click());
  check('the join form opens', (await heading(tab)) === t('timebank.join_heading'));
  await audit(tab, 'join the timebank');
  await page.locator('#outcode').fill('not a postcode');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('timebank.join_button') }).click());
  await audit(tab, 'join with an error', { status: 400 });
  await checkErrorSummary(tab, 'join form', ['outcode']);
}

async function recordWithoutJs(tab) {
  await signIn(tab, 'person');
  await record(tab, '0.5');
  await signOut(tab);
}

export const flows = [
  { label: 'record time, the other member confirms', js: true, run: recordAndConfirm },
  { label: 'record time', js: false, run: recordWithoutJs },
];
