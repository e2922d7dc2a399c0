// Welsh content in the directory: a manager switches to Welsh part way through, finds a service by
// a Welsh word and sees its Welsh text, sees an English-only service marked as English with the
// note, writes the missing Welsh version of one of their own services (with a mistake first, so
// the error is in Welsh), and sees which of their organisation's entries still lack Welsh. Every
// page is audited in Welsh; the flow switches back to English at the end so later flows are not
// affected (the choice is kept on the account).
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, t } from '../lib.mjs';

const WALKERS = 'eeb2a36b-0acd-4c0b-85f9-06b714c93138';  // has Welsh in the demo
const COUNCIL_TAX = 'e88edd50-5042-4947-984d-bd487b982ff1';  // English only

async function welshDirectory(tab, own) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'manager');
  try {
    await go(tab, '/services');
    check(`${prefix}the directory starts in English`, (await page.getAttribute('html', 'lang')) === 'en');
    // The language switch keeps the person on the same page.
    await navigating(tab, () => page.locator('header a[hreflang="cy"], a[hreflang="cy"]').first().click());
    check(`${prefix}the switch goes to Welsh on the same page`,
      (await page.getAttribute('html', 'lang')) === 'cy' && new URL(page.url()).pathname === '/services', page.url());
    await audit(tab, 'services in Welsh');

    // A Welsh word finds the Welsh service, shown in Welsh.
    await page.locator('#q').fill('cerddwyr');
    await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.search_button', 'cy') }).click());
    const result = page.locator(`.cp-result-list a[href="/services/${WALKERS}"]`);
    check(`${prefix}a Welsh word finds the Welsh service`, (await result.count()) === 1);
    check(`${prefix}the result shows its Welsh name`, (await result.innerText()).trim() === 'Cerddwyr glan môr Lowhaven',
      await result.innerText());
    await audit(tab, 'search in Welsh');
    await navigating(tab, () => result.click());
    check(`${prefix}the Welsh service page has its Welsh name`, (await heading(tab)) === 'Cerddwyr glan môr Lowhaven');
    check(`${prefix}Welsh text in a Welsh page needs no lang of its own`, (await page.locator('h1').getAttribute('lang')) === null);
    check(`${prefix}no "only in English" note on a Welsh service`, (await page.locator('.cp-lang-note').count()) === 0);
    await audit(tab, 'Welsh service');

    // English only: marked lang="en", with the note in Welsh.
    await go(tab, `/services/${COUNCIL_TAX}`);
    check(`${prefix}an English-only service is marked as English`, (await page.locator('h1').getAttribute('lang')) === 'en');
    const note = page.locator('.cp-lang-note');
    check(`${prefix}an English-only service says so in Welsh`,
      (await note.count()) === 1 && (await note.innerText()).trim() === t('site.only_in_english', 'cy'));
    await audit(tab, 'English-only service in Welsh');

    // The manager's own service without Welsh: the tag, the form, an error in Welsh, then the Welsh saved.
    await go(tab, `/services/${own.id}`);
    check(`${prefix}their own service says the Welsh version is missing`,
      (await page.locator('#welsh-missing').innerText()).trim() === t('site.welsh_missing', 'cy'));
    await navigating(tab, () => page.getByRole('link', { name: t('directory.edit_text_link', 'cy') }).click());
    check(`${prefix}the words form opens`, new URL(page.url()).pathname === `/services/${own.id}/text`, page.url());
    await audit(tab, 'edit the words in Welsh');
    await page.locator('#name').fill('');
    await page.locator('#name_cy').fill(own.name_cy);
    await page.locator('#description_cy').fill(own.description_cy);
    await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.text_save', 'cy') }).click());
    await audit(tab, 'edit the words with an error', { status: 400 });
    await checkErrorSummary(tab, `${prefix}words form in Welsh`, ['name']);
    check(`${prefix}the error is in Welsh`,
      (await page.locator('.govuk-error-summary').innerText()).includes(t('directory.error_name_missing', 'cy')));
    check(`${prefix}the Welsh typed is kept`, (await page.locator('#description_cy').inputValue()) === own.description_cy);
    await page.locator('#name').fill(own.name);
    await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('directory.text_save', 'cy') }).click());
    check(`${prefix}saved, the service shows its new Welsh name`, (await heading(tab)) === own.name_cy, await heading(tab));
    check(`${prefix}and no longer says Welsh is missing`, (await page.locator('#welsh-missing').count()) === 0);
    check(`${prefix}the "saved" notification is in Welsh`,
      (await page.locator('.govuk-notification-banner--success').innerText()).includes(t('directory.flash_text_saved', 'cy')));

    // The organisation page lists its entries; its manager sees which still lack Welsh.
    await navigating(tab, () => page.locator('main a[href^="/organisations/"]').first().click());
    const entries = page.locator('#directory-entries li');
    check(`${prefix}the organisation page lists its directory entries`, (await entries.count()) >= 3);
    // Each entry is tagged exactly when it has no Welsh name: the one just written is not.
    const rows = await entries.evaluateAll((lis, tag) => lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      welsh: li.querySelector('a').getAttribute('lang') !== 'en',
      tagged: li.textContent.includes(tag),
    })), t('site.welsh_missing', 'cy'));
    check(`${prefix}entries without Welsh are tagged, the others are not`,
      rows.every((r) => r.tagged === !r.welsh), JSON.stringify(rows));
    check(`${prefix}the entry just written is not tagged`,
      rows.some((r) => r.href === `/services/${own.id}` && !r.tagged), JSON.stringify(rows));
    await audit(tab, 'organisation page in Welsh');

    // The messages page, in Welsh like the rest.
    await go(tab, '/notifications');
    check(`${prefix}the messages page is in Welsh`, (await heading(tab)) === t('notifications.heading', 'cy'), await heading(tab));
    await audit(tab, 'messages page in Welsh');
  } finally {
    // Back to English, on the account too, for the flows that follow.
    await go(tab, '/services?lang=en');
  }
  check(`${prefix}switched back to English`, (await page.getAttribute('html', 'lang')) === 'en');
}

export const flows = [
  {
    label: 'Welsh directory (switch mid-flow)',
    js: true,
    run: (tab) => welshDirectory(tab, {
      id: '345cd6d4-8f4e-4571-ba5d-f8095096b116',
      name: 'Lowhaven job club',
      name_cy: 'Clwb swyddi Lowhaven',
      description_cy: 'Chwiliwch am swyddi gyda’ch gilydd. Defnyddiwch y cyfrifiaduron a chael help gyda CV.',
    }),
  },
  {
    label: 'Welsh directory without JavaScript',
    js: false,
    run: (tab) => welshDirectory(tab, {
      id: 'f449d595-f1ed-4463-b0cc-6845c9b1dc16',
      name: 'Lowhaven drop-in',
      name_cy: 'Galw heibio Lowhaven',
      description_cy: 'Dewch i mewn am sgwrs a diod gynnes. Cewch help gyda ffurflenni, ffonau neu filiau.',
    }),
  },
];
