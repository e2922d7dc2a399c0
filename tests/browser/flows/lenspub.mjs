// The published learning lens. An admin opens "Publish a summary" from the lens (error summary
// first), publishes with a note and a quoted learning log entry, and reads the public page. Signed
// out, anyone reads the list and the summary (tables, charts, how small numbers are hidden, the
// CSV link), in English and in Welsh, and no table cell shows a number from 1 to 4. The admin takes
// it down and the public page is gone. With and without JavaScript.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function publishAndRead(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `What we learned (${tab.js ? 'js' : 'nojs'} ${Date.now()})`;
  await signIn(tab, 'admin');
  await go(tab, '/lens');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('lens.pub_link') }).click());
  await audit(tab, 'publish a summary');
  check(`${prefix}the publish form`, (await heading(tab)) === t('lens.pub_form_title'), await heading(tab));
  await page.locator('#note').fill('We will try a drop-in at the school gates.');
  await navigating(tab, () => page.getByRole('button', { name: t('lens.pub_button'), exact: true }).click());
  await audit(tab, 'publish a summary with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}publish without a title`, ['title']);
  check(`${prefix}the note is kept`, (await page.locator('#note').inputValue()).includes('school gates'));
  await page.locator('#title').fill(title);
  const entries = page.locator('input[name="entry"]');
  check(`${prefix}learning log entries can be quoted`, (await entries.count()) >= 1);
  await entries.first().check();
  await navigating(tab, () => page.getByRole('button', { name: t('lens.pub_button'), exact: true }).click());
  check(`${prefix}the summary is published`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('lens.pub_flash_published')));
  const summaryUrl = page.url();
  check(`${prefix}it opens the public page`, new URL(summaryUrl).pathname.startsWith('/our-learning/'), summaryUrl);
  await signOut(tab);

  // Signed out: the list and the summary.
  await go(tab, '/our-learning');
  await audit(tab, 'what we are learning');
  check(`${prefix}the list shows the summary`, (await page.locator('main').innerText()).includes(title));
  await navigating(tab, () => page.locator('main').getByRole('link', { name: title }).click());
  await audit(tab, 'a published summary');
  const main = page.locator('main');
  check(`${prefix}its title`, (await heading(tab)) === title, await heading(tab));
  check(`${prefix}every chart has a table`, (await main.locator('table').count()) === 15, `${await main.locator('table').count()} tables`);
  check(`${prefix}charts are drawn`, (await main.locator('svg[role="img"] title').count()) >= 10);
  check(`${prefix}the note and the quote`, (await main.innerText()).includes('school gates') &&
    (await main.innerText()).includes(t('lens.we_concluded')));
  check(`${prefix}how small numbers are hidden`, (await main.innerText()).includes(t('lens.pub_small_heading')));
  const cells = await main.locator('td').allInnerTexts();
  const small = cells.map((c) => c.trim()).filter((c) => /^[1-4]$/.test(c));
  check(`${prefix}no table cell shows a number from 1 to 4`, small.length === 0, small.join(', '));
  check(`${prefix}the CSV is offered`, (await main.getByRole('link', { name: t('lens.pub_download_csv') }).count()) === 1);
  await go(tab, `${summaryUrl}?lang=cy`);
  await audit(tab, 'a published summary in Welsh');
  check(`${prefix}Welsh readers see Welsh`, (await main.innerText()).includes(t('lens.pub_small_heading', 'cy')));
  await go(tab, `${summaryUrl}?lang=en`);

  // Taken down: gone from the public.
  await signIn(tab, 'admin');
  await go(tab, '/lens/publish');
  await navigating(tab, () => page.locator('main li', { hasText: title })
    .getByRole('button', { name: new RegExp(t('lens.pub_withdraw_button')) }).click());
  check(`${prefix}the summary is taken down`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('lens.pub_flash_withdrawn')));
  await audit(tab, 'published summaries after taking one down');
  await signOut(tab);
  await go(tab, summaryUrl);
  check(`${prefix}the public page is gone`, tab.status === 404, `status ${tab.status}`);
}

export const flows = [
  { label: 'published learning lens', js: true, run: publishAndRead },
  { label: 'published learning lens (no JS)', js: false, run: publishAndRead },
];
