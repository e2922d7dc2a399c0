// Co-production charters. A commissioner writes a charter (error summary first) and publishes it; a
// person is asked to read it on the start page, the toolkit page and the charter page, tries to agree without
// ticking the box (error summary), agrees; the commissioner changes it (a new version, with what
// changed) and publishes again, and the person is asked to read it again. Every page is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function charter(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `How we work ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'commissioner');
  await go(tab, '/toolkit/charters');
  await audit(tab, 'charters');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.new_button') }).click());
  await audit(tab, 'new charter');
  await page.locator('#expenses').fill('We pay bus fares.');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.create_button') }).click());
  await audit(tab, 'new charter with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}charter without a name`, ['title']);
  check(`${prefix}what was typed is kept`, (await page.locator('#expenses').inputValue()) === 'We pay bus fares.');
  await page.locator('#title').fill(title);
  await page.locator('#roles').fill('Everyone has an equal say.');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.create_button') }).click());
  await audit(tab, 'charter versions');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: /1$/ }).first().click());
  await audit(tab, 'a draft version');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.publish_button') }).click());
  check(`${prefix}the charter is published`, (await heading(tab)) === title, await heading(tab));
  const charterUrl = page.url();
  await audit(tab, 'a charter for staff');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, '/toolkit');
  check(`${prefix}the toolkit asks to read the charter`,
    (await page.locator('main .govuk-notification-banner', { hasText: title }).count()) === 1);
  await audit(tab, 'toolkit with the charter notice');
  await go(tab, '/');
  check(`${prefix}the start page asks to read the charter`,
    (await page.locator('main .govuk-notification-banner', { hasText: title }).count()) === 1);
  await audit(tab, 'start page with the charter notice');
  await go(tab, charterUrl);
  await audit(tab, 'a charter to agree to');
  check(`${prefix}the charter page asks to read it`, (await page.locator('main .govuk-notification-banner').innerText()).includes(t('charters.please_read')));
  await navigating(tab, () => page.getByRole('button', { name: t('charters.sign_button') }).click());
  await audit(tab, 'agree without ticking', { status: 400 });
  await checkErrorSummary(tab, `${prefix}agree without ticking`, ['agree']);
  await page.getByLabel(t('charters.agree_label')).check();
  await navigating(tab, () => page.getByRole('button', { name: t('charters.sign_button') }).click());
  check(`${prefix}the person has agreed`, (await page.locator('main').innerText()).includes(t('charters.signed_tag')));
  await audit(tab, 'an agreed charter');
  await go(tab, '/');
  check(`${prefix}the start page no longer asks about this charter`,
    (await page.locator('main .govuk-notification-banner', { hasText: title }).count()) === 0);
  await signOut(tab);

  await signIn(tab, 'commissioner');
  await go(tab, `${charterUrl}/edit`);
  await audit(tab, 'change a charter');
  await page.locator('#expenses').fill('We pay bus fares and care costs.');
  await page.locator('#change_note').fill('We now pay care costs.');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.save_version') }).click());
  check(`${prefix}what changed is listed`, (await page.locator('main ins').first().innerText()).includes('care costs'));
  await audit(tab, 'a new version with what changed');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.publish_button') }).click());
  await go(tab, `${charterUrl}/signatures`);
  await audit(tab, 'who has agreed');
  check(`${prefix}the person's agreement is listed`, (await page.locator('main table').innerText()).includes('1'));
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, charterUrl);
  check(`${prefix}the person is asked to read it again`,
    (await page.locator('main').innerText()).includes(t('charters.changed_since')));
  await audit(tab, 'a changed charter');
  await signOut(tab);
}

// A charter in Welsh: the commissioner writes the title and some parts in Welsh too, publishes it,
// then adds Welsh to another part (a new version whose "what changed" list is in Welsh). A person
// who reads in Welsh sees the Welsh, and the English where there is no Welsh yet, with the note.
async function welshCharter(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const stamp = `${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  const title = `Working together ${stamp}`;
  const titleCy = `Gweithio gyda’n gilydd ${stamp}`;
  await signIn(tab, 'commissioner');
  await go(tab, '/toolkit/charters/new');
  await page.locator('#title').fill(title);
  await page.locator('#title_cy').fill(titleCy);
  await page.locator('#roles').fill('Everyone has an equal say.');
  await page.locator('#roles_cy').fill('Mae gan bawb lais cyfartal.');
  await page.locator('#agency_commits').fill('A warm room for every meeting.');
  await page.locator('#expenses').fill('We pay bus fares.');
  await audit(tab, 'new charter with Welsh');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.create_button') }).click());
  await navigating(tab, () => page.locator('main').getByRole('link', { name: /1$/ }).first().click());
  await navigating(tab, () => page.getByRole('button', { name: t('charters.publish_button') }).click());
  const charterUrl = page.url();
  await go(tab, `${charterUrl}/edit`);
  await page.locator('#expenses_cy').fill('Rydyn ni’n talu am docynnau bws.');
  await page.locator('#change_note').fill('Welsh for expenses.');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.save_version') }).click());
  check(`${prefix}what changed lists the Welsh`,
    (await page.locator('main ins[lang="cy"]').first().innerText()).includes('docynnau bws'));
  await audit(tab, 'a new version with Welsh changes');
  await navigating(tab, () => page.getByRole('button', { name: t('charters.publish_button') }).click());
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, `${charterUrl}?lang=cy`);
  check(`${prefix}the Welsh title is shown`, (await heading(tab)) === titleCy, await heading(tab));
  const main = await page.locator('main').innerText();
  check(`${prefix}the Welsh text is shown`, main.includes('Mae gan bawb lais cyfartal.') && main.includes('docynnau bws'));
  check(`${prefix}parts with no Welsh say so`, main.includes(t('site.only_in_english', 'cy')));
  await audit(tab, 'a charter in Welsh');
  await go(tab, `${charterUrl}?lang=en`);
  await signOut(tab);
}

export const flows = [
  { label: 'a charter: write, publish, agree, change', js: true, run: charter },
  { label: 'a charter: write, publish, agree, change (no JS)', js: false, run: charter },
  { label: 'a charter in Welsh', js: true, run: welshCharter },
  { label: 'a charter in Welsh (no JS)', js: false, run: welshCharter },
];
