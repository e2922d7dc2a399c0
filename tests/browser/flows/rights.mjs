// Distance travelled, peer groups and data rights, as a new person would meet them: they make an
// account, answer the progress questions twice and see the change on the chart and in the table,
// join a peer group and put it in their plan, download everything held about them, ask for a
// correction, and erase their data (a fresh account each run, so the demo people are untouched).
// Then the admin's and the key worker's pages for the same features. Every page is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function signUp(tab, name, email) {
  const page = tab.page;
  await go(tab, '/sign-up');
  await page.locator('#name').fill(name);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill('a long test password for rights');
  await page.locator('#password_confirm').fill('a long test password for rights');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('accounts.sign_up_button') }).click());
}

async function answerAll(tab, value) {
  const page = tab.page;
  const groups = page.locator('main fieldset');
  const n = await groups.count();
  for (let i = 0; i < n; i++) await groups.nth(i).locator(`input[type="radio"][value="${value}"]`).check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('selfassess.answer_save') }).click());
}

async function person(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const stamp = `${tab.js ? 'js' : 'plain'}${Date.now().toString(36)}`;
  await signUp(tab, `Rhian Test ${stamp}`, `rights-${stamp}@example.org`);

  // Progress: nothing yet, then a refused empty answer, then two answers that show a change.
  await go(tab, '/me/progress');
  await audit(tab, 'my progress, empty');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('selfassess.answer_first') }).click());
  await audit(tab, 'progress questions');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('selfassess.answer_save') }).click());
  await audit(tab, 'progress questions with nothing answered', { status: 400 });
  check(`${prefix}an empty answer is refused`, (await page.locator('.govuk-error-summary').innerText()).includes(t('selfassess.error_none')));
  await answerAll(tab, '3');
  await go(tab, '/me/progress/new');
  await answerAll(tab, '8');
  check(`${prefix}back on my progress`, (await heading(tab)) === t('selfassess.progress_heading'), await heading(tab));
  await audit(tab, 'my progress, two answers');
  const main = await page.locator('main').innerText();
  check(`${prefix}the change is written out`, main.includes(t('selfassess.change_up').replace('{n}', '5')));
  check(`${prefix}a chart per question, with a line`, (await page.locator('svg.sa-chart polyline').count()) >= 6);
  check(`${prefix}the chart has a text description`, (await page.locator('svg.sa-chart desc').first().textContent()).includes('8'));
  check(`${prefix}the table has both answers`,
    (await page.locator('main table').first().locator('tbody tr').count()) === 2);

  // Peer group: join the demo group and put it in the plan.
  await go(tab, '/groups');
  await audit(tab, 'peer groups');
  const groupName = (await page.locator('main h2 a').first().innerText()).trim();
  await navigating(tab, () => page.locator('main h2 a').first().click());
  await audit(tab, 'a peer group');
  await navigating(tab, () => page.locator('main').getByRole('button', { name: t('peer.join') }).click());
  await audit(tab, 'a peer group I joined');
  check(`${prefix}members are listed once joined`, (await page.locator('main').innerText()).includes(t('peer.members_heading')));
  await navigating(tab, () => page.locator('main').getByRole('button', { name: t('peer.plan_button') }).click());
  await audit(tab, 'peer group plan link with no goal', { status: 400 });
  await page.locator('#new_goal').fill('Meet people who get it');
  await navigating(tab, () => page.locator('main').getByRole('button', { name: t('peer.plan_button') }).click());
  check(`${prefix}the plan has the group as a step`,
    (await page.locator('main').innerText()).includes(t('peer.step_action').replace('{group}', groupName)));
  await go(tab, '/me/groups');
  await audit(tab, 'my peer groups');
  check(`${prefix}my groups lists it`, (await page.locator('main').innerText()).includes(groupName));

  // My data: a printable page and a JSON file with the same things in.
  await go(tab, '/me/data');
  await audit(tab, 'my data');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('rights.download_html') }).click());
  await audit(tab, 'everything we hold');
  check(`${prefix}the printable page has the group`, (await page.locator('main').innerText()).includes(groupName));
  const json = await page.request.get(new URL('/me/data/export.json', page.url()).href);
  const body = await json.json();
  check(`${prefix}the JSON has the group and two progress answers`,
    body.held.peer.memberships.length === 1 && body.held.selfassess.length === 2, JSON.stringify(body.held).slice(0, 300));

  // A correction: both boxes are needed, and what was typed is kept.
  await go(tab, '/me/data/correction');
  await audit(tab, 'ask for a correction');
  await page.locator('#what_wrong').fill('My surname is spelled wrong');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('rights.correction_send') }).click());
  await audit(tab, 'ask for a correction with a mistake', { status: 400 });
  await checkErrorSummary(tab, `${prefix}correction form`, ['should_say']);
  await page.locator('#should_say').fill('Rhian Tester');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('rights.correction_send') }).click());
  check(`${prefix}the request shows as waiting`, (await page.locator('main').innerText()).includes(t('rights.status_open')));

  // Erase: the box must be ticked; then the account is gone and signed out.
  await go(tab, '/me/data/erase');
  await audit(tab, 'delete my data');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('rights.erase_button') }).click());
  await audit(tab, 'delete my data without ticking', { status: 400 });
  await checkErrorSummary(tab, `${prefix}erase form`, ['confirm']);
  await page.locator('#confirm').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('rights.erase_button') }).click());
  check(`${prefix}signed out after erasing`,
    (await page.locator('header').getByRole('button', { name: t('site.sign_out') }).count()) === 0);
  check(`${prefix}told the data is deleted`, (await page.locator('body').innerText()).includes(t('rights.flash_erased')));
}

async function staff(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'admin');
  await go(tab, '/admin/scales');
  await audit(tab, 'progress questions (admin)');
  check(`${prefix}six demo scales`, (await page.locator('main tbody tr').count()) >= 6);
  await navigating(tab, () => page.locator('main tbody a').first().click());
  await audit(tab, 'change a progress question');
  check(`${prefix}the Welsh words are there to edit`, (await page.locator('#name_cy').inputValue()).length > 0);
  await go(tab, '/admin/scales/new');
  await audit(tab, 'add a progress question');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('selfassess.save_scale') }).click());
  await audit(tab, 'add a progress question with nothing filled in', { status: 400 });
  await checkErrorSummary(tab, `${prefix}scale form`, ['name', 'question', 'low', 'middle', 'high']);
  await go(tab, '/admin/data-requests');
  await audit(tab, 'data requests');
  await signOut(tab);

  // The demo person lets the key worker's organisation see outcomes.
  await signIn(tab, 'person');
  await go(tab, '/me/consents');
  const block = page.locator('main form').first();
  if (!(await block.locator('input[value="outcomes"]').isChecked())) {
    await block.locator('input[value="outcomes"]').check();
    await navigating(tab, () => block.getByRole('button').click());
  }
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, '/caseload');
  const href = await page.getByRole('link', { name: 'Jo Morrison' }).first().getAttribute('href');
  const id = href.match(/\/people\/(\d+)/)[1];
  await go(tab, `/people/${id}/progress`);
  await audit(tab, 'progress: why are you opening this');
  await go(tab, `/people/${id}/progress/new?reason=planned_contact`);
  await audit(tab, 'progress questions with a person');
  await answerAll(tab, '6');
  await audit(tab, 'a person\'s progress');
  check(`${prefix}answered with a worker`, (await page.locator('main').innerText()).includes(t('selfassess.how_with_worker')));
  await go(tab, `/people/${id}/data?reason=planned_contact`);
  await audit(tab, 'their data');
  // The same template as the person's own copy (audited above); this one is long, so only read it.
  await go(tab, `/people/${id}/data/export?reason=planned_contact`);
  check(`${prefix}the worker's copy has what matters to them`, tab.status === 200 && (await heading(tab)) === t('rights.export_heading'));
  await go(tab, `/people/${id}/data/correction?reason=planned_contact`);
  await audit(tab, 'a correction for them');
  await go(tab, `/people/${id}/data/erase?reason=planned_contact`);
  await audit(tab, 'delete their data (not sent)');
  await go(tab, '/groups/new');
  await audit(tab, 'start a peer group');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('peer.start_button') }).click());
  await audit(tab, 'start a peer group with no name', { status: 400 });
  await page.locator('#name').fill(`Worker group ${Date.now().toString(36)}`);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('peer.start_button') }).click());
  await audit(tab, 'a group I organise');
  await page.locator('#day').fill('1');
  await page.locator('#month').fill('1');
  await page.locator('#year').fill('2001');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('peer.add_meeting') }).click());
  await audit(tab, 'a meeting in the past', { status: 400 });
  check(`${prefix}a past meeting is refused`, (await page.locator('.govuk-error-summary').innerText()).includes(t('peer.error_past')));
  await signOut(tab);
}

export const flows = [
  { label: 'a person: progress twice, a peer group in the plan, download, correct, erase', js: true, run: person },
  { label: 'a person (no JS): the same', js: false, run: person },
  { label: 'admin and key worker pages', js: true, run: staff },
];
