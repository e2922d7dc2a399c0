// Moderation, notifications and the "we talked, we did together" tracker. A person posts an idea
// and another account reports it (error summary first); an admin finds it in the moderation queue,
// tries to hide it without a reason (error summary), hides it with one, and shows it again; the
// author reads the notice on their messages page and changes how they are told. A worker records an
// agreed action (error summary first), moves it to in progress and then to done with evidence, and
// the public page filters by status, by service, and in Welsh. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function reportHideRestore(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `Bench by the bus stop ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'person');
  await go(tab, '/ideas/new');
  await page.locator('#title').fill(title);
  await page.locator('#body').fill('Older people need somewhere to sit while they wait.');
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.post_button') }).click());
  const ideaUrl = page.url();
  check(`${prefix}the idea is posted`, (await heading(tab)) === title, await heading(tab));
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, ideaUrl);
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('ideas.report_link') }).first().click());
  await audit(tab, 'report form');
  check(`${prefix}the report form shows what is reported`, (await page.locator('main .govuk-inset-text').innerText()).includes(title));
  await navigating(tab, () => page.getByRole('button', { name: t('moderation.report_button') }).click());
  await audit(tab, 'report form with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}report without a reason`, ['reason']);
  await page.getByLabel(t('moderation.reason_spam'), { exact: true }).check();
  await page.locator('#details').fill('It reads like an advert.');
  await navigating(tab, () => page.getByRole('button', { name: t('moderation.report_button') }).click());
  check(`${prefix}the report is thanked`, (await page.locator('.govuk-notification-banner').innerText()).includes(t('moderation.flash_reported')));
  await signOut(tab);

  await signIn(tab, 'admin');
  await go(tab, '/moderation');
  await audit(tab, 'moderation queue');
  await navigating(tab, () => page.locator('main li', { hasText: title }).getByRole('link').first().click());
  await audit(tab, 'moderation item');
  await navigating(tab, () => page.getByRole('button', { name: t('moderation.hide_button') }).click());
  await audit(tab, 'hide without a reason', { status: 400 });
  await checkErrorSummary(tab, `${prefix}hide without a reason`, ['reason']);
  await page.locator('#reason').fill('It is fine, but please post adverts on the notice board instead.');
  await navigating(tab, () => page.getByRole('button', { name: t('moderation.hide_button') }).click());
  check(`${prefix}the item is hidden`, (await page.locator('main .govuk-tag').first().innerText()).trim() === t('moderation.status_hidden'));
  await audit(tab, 'hidden item');
  await go(tab, '/moderation?status=hidden');
  check(`${prefix}the hidden list shows it`, (await page.locator('main li', { hasText: title }).count()) === 1);
  await audit(tab, 'hidden list');
  await page.goBack();
  await go(tab, page.url());
  await page.locator('#reason').fill('We talked to the writer and it can stay.');
  await navigating(tab, () => page.getByRole('button', { name: t('moderation.restore_button') }).click());
  check(`${prefix}the item is shown again`, (await page.locator('main .govuk-tag').first().innerText()).trim() === t('moderation.status_visible'));
  check(`${prefix}the history keeps both decisions`,
    (await page.locator('main').innerText()).includes('We talked to the writer') &&
    (await page.locator('main').innerText()).includes('post adverts on the notice board'));
  await go(tab, '/moderation/blocked');
  await audit(tab, 'blocked people');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, '/notifications');
  await audit(tab, 'messages');
  check(`${prefix}the writer is told why it was hidden`,
    (await page.locator('main').innerText()).includes('please post adverts on the notice board instead'));
  check(`${prefix}the header counts new messages`,
    (await page.locator('header').getByRole('link', { name: /\(\d+ / }).count()) === 1);
  await navigating(tab, () => page.getByRole('button', { name: t('notifications.read_all') }).click());
  check(`${prefix}mark all as read clears the count`,
    (await page.locator('header').getByRole('link', { name: t('notifications.header'), exact: true }).count()) === 1);
  await navigating(tab, () => page.getByRole('link', { name: t('notifications.change_settings') }).click());
  await audit(tab, 'message settings');
  await page.getByLabel(t('notifications.delivery_digest'), { exact: true }).check();
  await navigating(tab, () => page.getByRole('button', { name: t('notifications.save') }).click());
  check(`${prefix}the weekly choice is saved`, (await page.locator('main').innerText()).includes(t('notifications.delivery_digest')));
  await signOut(tab);
}

async function actionToDone(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `Longer opening on Thursdays ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await go(tab, '/we-did-together');
  await audit(tab, 'we did together');
  await signIn(tab, 'worker');
  await go(tab, '/we-did-together');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.add_button') }).click());
  await audit(tab, 'new action');
  await page.locator('#due_on').fill('2031-02-30');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.agree_button') }).click());
  await audit(tab, 'new action with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}empty action`, ['title', 'owner', 'due_on']);
  check(`${prefix}what was typed is kept`, (await page.locator('#due_on').inputValue()) === '2031-02-30');
  await page.locator('#title').fill(title);
  await page.locator('#title_cy').fill('Agor yn hwyrach ar ddydd Iau');
  await page.locator('#owner').fill('Library team');
  await page.locator('#due_on').fill('2031-02-28');
  await page.locator('#service').selectOption({ index: 1 });
  await page.locator('#origin_kind').selectOption('feedback');
  await page.locator('#origin_title').fill('Working parents cannot get there before 5');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.agree_button') }).click());
  check(`${prefix}the action is saved`, (await heading(tab)) === title, await heading(tab));
  await audit(tab, 'action');

  await page.getByLabel(t('tracker.move_in_progress'), { exact: true }).check();
  await page.locator('#note').fill('We asked staff who can work late.');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.save_update') }).click());
  check(`${prefix}the action is in progress`, (await page.locator('main .govuk-tag').first().innerText()).trim() === t('tracker.status_in_progress'));
  await page.getByLabel(t('tracker.move_done'), { exact: true }).check();
  await page.locator('#link').fill('javascript:alert(1)');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.save_update') }).click());
  await audit(tab, 'update with a bad link', { status: 400 });
  await checkErrorSummary(tab, `${prefix}bad evidence link`, ['link']);
  await page.getByLabel(t('tracker.move_done'), { exact: true }).check();
  await page.locator('#note').fill('The library now stays open until 7pm on Thursdays.');
  await page.locator('#link').fill('https://example.org/library-hours');
  await navigating(tab, () => page.getByRole('button', { name: t('tracker.save_update') }).click());
  check(`${prefix}the action is done`, (await page.locator('main .govuk-tag').first().innerText()).trim() === t('tracker.status_done'));
  check(`${prefix}the evidence shows`, (await page.locator('main').innerText()).includes('open until 7pm on Thursdays'));
  await audit(tab, 'action done');

  await navigating(tab, () => page.getByRole('link', { name: t('tracker.service_all') }).click());
  await audit(tab, 'actions for one service');
  check(`${prefix}the service page lists the action`, (await page.locator('main li', { hasText: title }).count()) === 1);
  await go(tab, '/we-did-together?status=done');
  await audit(tab, 'done actions');
  check(`${prefix}the done filter lists it`, (await page.locator('main li', { hasText: title }).count()) === 1);
  await go(tab, '/we-did-together?status=not_possible');
  check(`${prefix}the not possible filter leaves it out`, (await page.locator('main li', { hasText: title }).count()) === 0);
  await go(tab, '/we-did-together?lang=cy');
  await audit(tab, 'we did together in Welsh');
  check(`${prefix}Welsh readers see the Welsh title`, (await page.locator('main').innerText()).includes('Agor yn hwyrach ar ddydd Iau'));
  await go(tab, '/we-did-together?lang=en');
  await signOut(tab);
}

export const flows = [
  { label: 'report, hide and restore; messages', js: true, run: reportHideRestore },
  { label: 'report, hide and restore; messages (no JS)', js: false, run: reportHideRestore },
  { label: 'an agreed action through to done', js: true, run: actionToDone },
  { label: 'an agreed action through to done (no JS)', js: false, run: actionToDone },
];
