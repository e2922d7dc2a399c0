// Person-led records: the person writes what matters and says yes to an organisation seeing more;
// the key worker opens the record (saying why), adds a note (a hidden note without a reason is
// refused first) and a plan step; the person then reads the note and sees who looked at the record.
// Runs again with JavaScript off. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function journey(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const stamp = `${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  const matters = `My girls and a job that fits school (${stamp})`;
  const noteText = `We talked about the forklift course (${stamp})`;
  const stepText = `Phone the college about the course (${stamp})`;

  // The person writes what matters, in their own words.
  await signIn(tab, 'person');
  await go(tab, '/me/record');
  await audit(tab, 'my record');
  await page.locator('#what_matters').fill(matters);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.save_record') }).click());
  check(`${prefix}the record is saved`, (await page.locator('#what_matters').inputValue()) === matters);

  // ... and lets the key worker's organisation see their outcomes too.
  await go(tab, '/me/consents');
  await audit(tab, 'who can see my record');
  const block = page.locator('main form').first();
  await block.locator('input[value="outcomes"]').check();
  await navigating(tab, () => block.getByRole('button').click());
  const history = await page.locator('main').innerText();
  check(`${prefix}the consent history shows the change`, history.includes(t('journeys.consent_action_grant')));
  check(`${prefix}outcomes is now ticked`, await page.locator('main form').first().locator('input[value="outcomes"]').isChecked());
  await go(tab, '/me/plan');
  await audit(tab, 'my plan');
  await signOut(tab);

  // The key worker finds the person on the caseload and says why they are opening the record.
  await signIn(tab, 'worker');
  await go(tab, '/caseload');
  await audit(tab, 'caseload');
  check(`${prefix}the caseload lists the demo person`, (await page.getByRole('link', { name: 'Jo Morrison' }).count()) === 1);
  await go(tab, '/caseload?sort=overdue&weeks=2');
  await audit(tab, 'caseload sorted by overdue steps');
  await navigating(tab, () => page.getByRole('link', { name: 'Jo Morrison' }).click());
  check(`${prefix}the worker is asked why first`, (await heading(tab)) === t('journeys.reason_heading'), await heading(tab));
  await audit(tab, 'why are you opening this record');
  await page.locator('#reason').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.reason_button') }).click());
  check(`${prefix}the worker sees what matters to the person`, (await page.locator('main').innerText()).includes(matters));
  await audit(tab, 'person record: profile');

  // A note: hiding it without a reason is refused, and what was typed is kept.
  await navigating(tab, () => page.locator('main nav').getByRole('link', { name: t('journeys.part_notes') }).click());
  await audit(tab, 'person record: notes');
  await navigating(tab, () => page.getByRole('button', { name: t('journeys.note_add_button') }).click());
  await audit(tab, 'add a note');
  await page.locator('#talked_about').fill(noteText);
  await page.locator('#strengths').fill('Knew all the safety rules already');
  await page.locator('#restricted').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.note_save') }).click());
  await audit(tab, 'add a note with a mistake', { status: 400 });
  await checkErrorSummary(tab, `${prefix}note form`, ['restrict_reason']);
  check(`${prefix}the note text is kept`, (await page.locator('#talked_about').inputValue()) === noteText);
  await page.locator('#restricted').uncheck();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.note_save') }).click());
  check(`${prefix}the note is listed`, (await page.locator('main').innerText()).includes(noteText));

  // A plan step, for the person to do.
  await navigating(tab, () => page.locator('main nav').getByRole('link', { name: t('journeys.part_plan') }).click());
  await audit(tab, 'person record: plan');
  await page.locator('#action').fill(stepText);
  await page.locator('#who').check();
  // 31 June is not a date: a clear error, and the step text is kept.
  await page.locator('#due_day').fill('31');
  await page.locator('#due_month').fill('6');
  await page.locator('#due_year').fill('2030');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.step_add_button') }).click());
  await audit(tab, 'add a step with a mistake', { status: 400 });
  await checkErrorSummary(tab, `${prefix}step form`, ['due_day']);
  check(`${prefix}the step text is kept`, (await page.locator('#action').inputValue()) === stepText);
  await page.locator('#due_day').fill('15');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.step_add_button') }).click());
  check(`${prefix}the step is in the plan`, (await page.locator('main').innerText()).includes(stepText));
  await navigating(tab, () => page.getByRole('link', { name: `${t('journeys.change_step')} ${stepText}` }).click());
  await audit(tab, 'change a step');
  await go(tab, '/people/new');
  await audit(tab, 'add a person');

  // Someone without an account: the worker records their choices, after saying they asked.
  await go(tab, '/caseload');
  await navigating(tab, () => page.getByRole('link', { name: `${t('journeys.card_choices')} (Alex Reid)` }).click());
  await audit(tab, 'record choices for someone without an account');
  await navigating(tab, () => page.locator('main form').first().getByRole('button').click());
  await audit(tab, 'record choices without saying you asked', { status: 400 });
  await checkErrorSummary(tab, `${prefix}choices form`, ['asked']);
  await page.locator('#asked').check();
  await navigating(tab, () => page.locator('main form').first().getByRole('button').click());
  check(`${prefix}the choices are saved`, new URL(page.url()).pathname.endsWith('/consents') &&
    (await page.locator('.govuk-notification-banner').count()) === 1, page.url());
  // ... and writes their profile with them.
  const alex = new URL(page.url()).pathname.replace(/\/consents$/, '');
  await go(tab, `${alex}/profile?reason=planned_contact`);
  await audit(tab, 'write a profile with someone');
  await page.locator('#what_matters').fill(`Getting out of the house more (${stamp})`);
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.save_record') }).click());
  check(`${prefix}their profile shows what they said`, (await page.locator('main').innerText()).includes(stamp));
  await signOut(tab);

  // The person reads the note and sees that the worker looked, and why.
  await signIn(tab, 'person');
  await go(tab, '/me/notes');
  await audit(tab, 'my notes');
  check(`${prefix}the person reads the worker's note`, (await page.locator('main').innerText()).includes(noteText));
  await go(tab, '/me/record/views');
  await audit(tab, 'who has looked at my record');
  const views = await page.locator('main').innerText();
  check(`${prefix}the person sees the worker looked`, views.includes('Sam Duncan') && views.includes(t('journeys.reason_planned_contact')), views.slice(0, 300));
  await go(tab, '/me/plan');
  check(`${prefix}the person sees the new step`, (await page.locator('main').innerText()).includes(stepText));
  await navigating(tab, () => page.locator('.govuk-summary-card__actions a').first().click());
  await audit(tab, 'change a goal');
  if (tab.js) {
    // As if the worker saved the goal in another tab meanwhile: the form's version is now stale.
    await page.locator('input[name="version"]').evaluate((el) => { el.value = '0'; });
    await page.locator('#goal').fill(`I want a job that fits around school (${stamp})`);
    await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.save_changes') }).click());
    await audit(tab, 'change a goal saved by someone else first', { status: 409 });
    await checkErrorSummary(tab, 'stale goal', ['goal']);
    check('a stale save keeps what was typed', (await page.locator('#goal').inputValue()).includes(stamp));
    check('a stale save shows the saved text', (await page.locator('#saved').count()) === 1);
  }
  await signOut(tab);
}

async function lawfulBasis(tab) {
  const page = tab.page;
  await signIn(tab, 'admin');
  await go(tab, '/admin/lawful-basis');
  await audit(tab, 'lawful basis');
  const first = page.locator('main form').first();
  await first.locator('select').selectOption('public_task');
  await navigating(tab, () => first.getByRole('button').click());
  check('the lawful basis is saved', (await page.locator('main form').first().locator('select').inputValue()) === 'public_task');
  await signOut(tab);
}

// Choice, referral and outcomes: the person chooses between partners' options for a goal; the key
// worker refers them on (a referral with no parts is refused first), records a stage and a job
// start back-dated 14 weeks so its 13-week check is due, and records the check from the caseload;
// the person agrees to share; the receiving organisation's manager reads what was shared and
// accepts; the person then sees the referral accepted and who is working with them.
async function chooseReferAndProgress(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const partner = 'Lowhaven Community Hub';
  const option = 'Lowhaven job club';

  await signIn(tab, 'person');
  // The key worker's organisation may see outcomes too (the stage and job start below).
  await go(tab, '/me/consents');
  const block = page.locator('main form').first();
  if (!(await block.locator('input[value="outcomes"]').isChecked())) {
    await block.locator('input[value="outcomes"]').check();
    await navigating(tab, () => block.getByRole('button').click());
  }
  await go(tab, '/me/plan');
  await navigating(tab, () => page.locator('main a', { hasText: t('journeys.see_options') }).first().click());
  await audit(tab, 'options for a goal');
  const orgs = new Set();
  for (const line of await page.locator('li.cp-option p.govuk-body-s').allInnerTexts()) {
    const parts = line.split(' · ');
    if (parts[1]) orgs.add(parts[1].trim());
  }
  check(`${prefix}options come from more than one partner`, orgs.size >= 2, [...orgs].join(', '));
  const choice = page.locator('li.cp-option', { hasText: option }).first();
  check(`${prefix}${option} is an option`, (await choice.count()) === 1);
  await navigating(tab, () => choice.getByRole('button', { name: new RegExp(t('journeys.options_choose_own')) }).click());
  check(`${prefix}the choice is in the person's plan`, (await page.locator('main').innerText()).includes(`I chose ${option}`));
  await go(tab, '/me/outcomes');
  await audit(tab, 'my progress');
  await signOut(tab);

  // The key worker refers Jo to the job club.
  await signIn(tab, 'worker');
  await go(tab, '/caseload');
  const jo = (await page.getByRole('link', { name: 'Jo Morrison' }).first().getAttribute('href'));
  await go(tab, `${jo}/referrals/new?reason=follow_up`);
  await audit(tab, 'refer to another organisation');
  await page.getByLabel(option).first().check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.referral_send') }).click());
  await audit(tab, 'refer with nothing to share', { status: 400 });
  await checkErrorSummary(tab, `${prefix}referral form`, ['parts']);
  await page.locator('#parts').check();
  await page.locator('#parts-plan').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.referral_send') }).click());
  await audit(tab, 'a referral as its sender sees it');
  check(`${prefix}the referral waits for the person`, (await page.locator('#referral-status').innerText()).includes(t('journeys.referral_status_awaiting_consent')));

  // Stage and a job start 14 weeks ago; its 13-week check is then due on the caseload.
  await go(tab, `${jo}/outcomes?reason=follow_up`);
  await audit(tab, 'progress and outcomes');
  const now = new Date();
  await page.locator('#stage-4').check();
  await page.locator('#stage_day').fill(String(now.getUTCDate()));
  await page.locator('#stage_month').fill(String(now.getUTCMonth() + 1));
  await page.locator('#stage_year').fill(String(now.getUTCFullYear() + 1));
  await navigating(tab, () => page.locator('main form', { has: page.locator('#stage') }).getByRole('button').click());
  await audit(tab, 'a stage dated in the future', { status: 400 });
  await checkErrorSummary(tab, `${prefix}stage form`, ['stage_day']);
  await page.locator('#stage_year').fill(String(now.getUTCFullYear()));
  await navigating(tab, () => page.locator('main form', { has: page.locator('#stage') }).getByRole('button').click());
  check(`${prefix}the stage is recorded`, (await page.locator('#stage-now').innerText()).includes(t('journeys.stage_4')));
  const start = new Date(now.getTime() - 14 * 7 * 86400 * 1000);
  await page.locator('#kind').check();
  await page.locator('#out_day').fill(String(start.getUTCDate()));
  await page.locator('#out_month').fill(String(start.getUTCMonth() + 1));
  await page.locator('#out_year').fill(String(start.getUTCFullYear()));
  await page.locator('#hours').fill('16');
  await page.locator('#contract').selectOption('permanent');
  await page.locator('#employer').fill('Lowhaven Bakery');
  await navigating(tab, () => page.locator('main form', { has: page.locator('#kind') }).getByRole('button').click());
  check(`${prefix}the job start is recorded`, (await page.locator('main').innerText()).includes('Lowhaven Bakery'));
  await go(tab, '/caseload?show=checks');
  await audit(tab, 'caseload with checks due');
  const due = page.getByRole('link', { name: /Jo Morrison: 13-week check/ }).first();
  check(`${prefix}the 13-week check is on the caseload`, (await due.count()) === 1);
  await navigating(tab, () => due.click());
  const form = page.locator('form[action^="/checks/"]').first();
  await form.locator('input[value="yes"]').check();
  await form.locator('input[name="check_day"]').fill(String(now.getUTCDate()));
  await form.locator('input[name="check_month"]').fill(String(now.getUTCMonth() + 1));
  await form.locator('input[name="check_year"]').fill(String(now.getUTCFullYear()));
  await navigating(tab, () => form.getByRole('button').click());
  check(`${prefix}the check is recorded`, (await page.locator('main').innerText()).includes(t('journeys.check_yes')));
  await signOut(tab);

  // Jo agrees to share and the referral is sent.
  await signIn(tab, 'person');
  await go(tab, '/me/referrals');
  await audit(tab, 'my referrals');
  const ask = page.locator('main form').first();
  await ask.locator('input[value="yes"]').check();
  await navigating(tab, () => ask.getByRole('button').click());
  check(`${prefix}the referral is sent`, (await page.locator('main').innerText()).includes(t('journeys.referral_status_sent')));
  await signOut(tab);

  // The job club's manager reads what Jo shared and accepts.
  await signIn(tab, 'manager');
  await go(tab, '/referrals');
  await audit(tab, 'referrals to my organisation');
  await navigating(tab, () => page.locator('main a[href^="/referrals/"]').first().click());
  await audit(tab, 'a referral to answer');
  check(`${prefix}the partner sees the shared plan`, (await page.locator('main').innerText()).includes('I want a job that fits around school'));
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.referral_decide_button') }).click());
  await audit(tab, 'answer a referral without choosing', { status: 400 });
  await checkErrorSummary(tab, `${prefix}referral answer`, ['decision']);
  await page.locator('#decision').check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('journeys.referral_decide_button') }).click());
  check(`${prefix}the referral is accepted`, (await page.locator('#referral-status').innerText()).includes(t('journeys.referral_status_accepted')));
  await go(tab, '/caseload/team');
  await audit(tab, 'caseload sizes');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, '/me/referrals');
  const mine = await page.locator('main').innerText();
  check(`${prefix}the person sees the referral accepted`, mine.includes(t('journeys.referral_status_accepted')));
  check(`${prefix}the person sees who works with them`, mine.includes(partner));
  await signOut(tab);
}

export const flows = [
  { label: 'a person and their key worker share a record', js: true, run: journey },
  { label: 'a person and their key worker share a record without JavaScript', js: false, run: journey },
  { label: 'an admin records a lawful basis', js: true, run: lawfulBasis },
  { label: 'a person chooses, is referred on, and starts a job', js: true, run: chooseReferAndProgress },
  { label: 'a person chooses, is referred on, and starts a job without JavaScript', js: false, run: chooseReferAndProgress },
];
