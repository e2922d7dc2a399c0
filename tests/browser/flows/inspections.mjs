// Co-assessment in the browser. An inspection from a new question set to a published report and a
// tracked action: the admin makes the question set and plans the inspection, the demo person (a
// registered citizen inspector) answers, records a finding and writes the report, the admin sends it,
// is refused publishing while the service's window is open, replies for the service, publishes, and
// agrees an action from the finding. A rating is given (with a mistake first), reported by someone
// else and hidden by the admin through the moderation queue, and leaves the counts. Every page is
// audited at both widths; the rating flow runs again with JavaScript off.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

const submit = (tab, scope, name) =>
  navigating(tab, () => tab.page.locator(scope).getByRole('button', { name, exact: true }).click());

async function inspection(tab) {
  const page = tab.page;
  const stamp = Date.now().toString(36);
  const setName = `Front door check ${stamp}`;
  await signIn(tab, 'admin');
  await go(tab, '/inspections');
  await audit(tab, 'published inspection reports');
  await go(tab, '/inspections/manage');
  await audit(tab, 'plan and run inspections');
  await go(tab, '/inspections/inspectors');
  await audit(tab, 'citizen inspectors');
  await go(tab, '/inspections/templates');
  await audit(tab, 'question sets');

  // A question set, first with a score question that does not say what 1 and 5 mean.
  await go(tab, '/inspections/templates/new');
  await audit(tab, 'new question set');
  await page.locator('#name').fill(setName);
  await page.locator('#q0_text').fill('Was the front door easy to find?');
  await submit(tab, 'main form', t('inspections.template_save'));
  await audit(tab, 'question set with errors', { status: 400 });
  await checkErrorSummary(tab, 'question set', ['q0_low']);
  check('the question set keeps its name', (await page.locator('#name').inputValue()) === setName);
  await page.locator('#q0_low').fill('Very hard');
  await page.locator('#q0_high').fill('Very easy');
  await page.locator('#q1_text').fill('What would help people find it?');
  await page.locator('#q1_kind').selectOption('text');
  await submit(tab, 'main form', t('inspections.template_save'));
  check('the question set is saved', new URL(page.url()).pathname === '/inspections/templates', page.url());
  await navigating(tab, () => page.getByRole('link', { name: setName }).click());
  await audit(tab, 'change a question set');

  // Plan it, with too short a window first.
  await go(tab, '/inspections/new');
  await audit(tab, 'plan an inspection');
  await page.locator('#title').fill(`Door visit ${stamp}`);
  await page.locator('#service').selectOption({ index: 1 });
  await page.locator('#template').selectOption({ label: setName });
  await page.locator('#response_days').fill('5');
  await submit(tab, 'main form', t('inspections.create_button'));
  await audit(tab, 'plan an inspection with errors', { status: 400 });
  await checkErrorSummary(tab, 'plan an inspection', ['response_days']);
  await page.locator('#response_days').fill('14');
  await submit(tab, 'main form', t('inspections.create_button'));
  const url = new URL(page.url()).pathname;
  check('the inspection is planned', /^\/inspections\/\d+$/.test(url), page.url());
  await page.locator('#visit_on').fill('2026-12-01');
  await submit(tab, 'form[action$="/visits"]', t('inspections.add_visit_button'));
  await page.locator('#member_email').fill('person@demo.example');
  await submit(tab, 'form[action$="/team"]', t('inspections.add_member_button'));
  check('the citizen inspector is on the team', (await page.locator('#team ~ ul').innerText()).includes('Jo Morrison'));
  await audit(tab, 'an inspection being planned');
  await signOut(tab);

  // The citizen inspector's part.
  await signIn(tab, 'person');
  await go(tab, `${url}/answers`);
  await audit(tab, 'answer the questions');
  await page.locator('#q0_score-4').check();
  await page.locator('#q0_note').fill('The sign is small but clear.');
  await page.locator('#q1_note').fill('A sign at the bus stop.');
  await submit(tab, 'main form', t('inspections.answers_save'));
  await page.locator('#finding_text').fill('There is no sign at the bus stop.');
  await page.locator('#finding_evidence').fill('Three of us walked the wrong way.');
  await submit(tab, 'form[action$="/findings"]', t('inspections.add_finding_button'));
  await go(tab, `${url}/report`);
  await audit(tab, 'write the report');
  await page.locator('#report').fill('The staff were kind. The door is hard to find from the bus stop. A sign would help.');
  await page.locator('#report_cy').fill("Roedd y staff yn garedig. Mae'n anodd dod o hyd i'r drws o'r safle bws.");
  await submit(tab, 'main form', t('plain.web_check_button'));
  await audit(tab, 'report with the writing check');
  await submit(tab, 'main form', t('inspections.report_save'));
  await audit(tab, 'an inspection with a report');
  await signOut(tab);

  // Send, try to publish too early, reply for the service, publish, agree an action.
  await signIn(tab, 'admin');
  await go(tab, url);
  await submit(tab, '#send', t('inspections.send_button'));
  await submit(tab, '#publish', t('inspections.publish_button'));
  await audit(tab, 'publishing refused while the window is open', { status: 409 });
  check('publishing early is refused with a reason',
    (await page.locator('.govuk-error-summary').innerText()).includes('14'));
  await page.locator('#response_text').fill('Thank you. We will put a sign at the bus stop.');
  await submit(tab, 'form[action$="/response"]', t('inspections.response_button'));
  await submit(tab, '#publish', t('inspections.publish_button'));
  check('the report is published', (await page.locator('#status').innerText()).includes(t('inspections.status_published')));
  await page.locator('summary', { hasText: t('inspections.agree_action') }).first().click();
  const owner = page.locator('input[id$="_owner"]').first();
  await owner.fill('Estates team');
  await submit(tab, 'form[action$="/action"]', t('inspections.agree_action_button'));
  check('the finding shows its agreed action', (await page.locator('[id^="finding-"]').first().innerText()).includes(t('inspections.action_status_agreed')));
  await audit(tab, 'a published inspection with an action');
  await signOut(tab);
  await go(tab, '/inspections');
  check('the public list shows the report', (await page.locator('main').innerText()).includes(`Door visit ${stamp}`));
}

async function rating(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const words = `Spam spam ${tab.js ? 'js' : 'plain'} ${Date.now().toString(36)}`;
  // A different account each run, so the form starts empty (a rating is changed, not added again).
  await signIn(tab, tab.js ? 'manager' : 'admin');
  await go(tab, '/services');
  const first = page.locator('.cp-result-list h2 a').first();
  await navigating(tab, () => first.click());
  await audit(tab, 'service page with ratings');
  await navigating(tab, () => page.getByRole('link', { name: t('ratings.panel_see_all') }).click());
  const ratingsUrl = new URL(page.url()).pathname;
  await audit(tab, 'ratings page');
  // "Rate this service", or "Change your rating" when this account rated it on an earlier run.
  await navigating(tab, () => page.locator('main a[href$="/rate"]').first().click());
  await audit(tab, 'rate a service');
  await page.locator('#comment').fill(words);
  await submit(tab, 'main form', t('ratings.save_button'));
  await audit(tab, 'rate a service with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}rating form`, ['stars']);
  check(`${prefix}the rating form keeps the comment`, (await page.locator('#comment').inputValue()) === words);
  await page.locator('#stars-2').check();
  await submit(tab, 'main form', t('ratings.save_button'));
  check(`${prefix}the rating is shown`, (await page.locator('main').innerText()).includes(words));
  await signOut(tab);

  // Someone else reports it; the admin hides it from the moderation queue.
  await signIn(tab, 'person');
  await go(tab, ratingsUrl);
  const card = page.locator('.cp-rating', { hasText: words });
  await navigating(tab, () => card.getByRole('link', { name: t('ratings.report_link') }).click());
  await audit(tab, 'report a rating');
  await page.getByLabel(t('moderation.reason_spam')).check();
  await submit(tab, 'main form', t('moderation.report_button'));
  await signOut(tab);
  await signIn(tab, 'admin');
  await go(tab, '/moderation');
  await navigating(tab, () => page.locator('.cp-result-list li', { hasText: words }).first().getByRole('link').first().click());
  await audit(tab, 'a reported rating');
  await page.locator('#reason').fill('Advertising.');
  await submit(tab, 'main', t('moderation.hide_button'));
  await go(tab, ratingsUrl);
  check(`${prefix}the hidden rating is gone from the page`, !(await page.locator('main').innerText()).includes(words));
  await signOut(tab);
}

export const flows = [
  { label: 'inspection from question set to published report and action', js: true, run: inspection },
  { label: 'rating given, reported and hidden', js: true, run: rating },
  { label: 'rating given, reported and hidden', js: false, run: rating },
];
