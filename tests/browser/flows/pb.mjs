// Community budgets (participatory budgeting): the demo person reads the budget that is in voting,
// fills a knapsack ballot that is first over budget (error summary), then sends one that fits and
// sees the confirmation; the same again with JavaScript off (using "Check my total"). Then the
// closed budget's results and the comparison of the two counts, its ideas, a worker's paper
// ballot page, the delivery of funded projects, the priorities gap chart, and an admin starting a
// budget and rating a priority. Every page on the way is audited.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

const VOTING = 'Kingdom Shore Neighbourhood Fund 2027';
const CLOSED = 'Kingdom Shore Community Fund 2026';

async function openBudget(tab, title) {
  await go(tab, '/pb');
  await navigating(tab, () => tab.page.getByRole('link', { name: title }).click());
  check(`${tab.js ? '' : '[no JS] '}the list opens "${title}"`, (await heading(tab)) === title, await heading(tab));
}

async function tick(page, label, on) {
  await page.getByLabel(label, { exact: true }).setChecked(on);
}

async function voteKnapsack(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'person');
  await go(tab, '/pb');
  await audit(tab, 'community budgets');
  await openBudget(tab, VOTING);
  await audit(tab, 'budget in voting');
  check(`${prefix}the timeline shows voting as now`,
    (await page.locator('.pb-timeline li', { hasText: t('pb.phase_voting') }).getByText(t('pb.now')).count()) === 1);

  await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_button') }).click());
  await audit(tab, 'choose your area');
  await navigating(tab, () => page.getByRole('link', { name: 'Lowhaven' }).click());
  await audit(tab, 'knapsack ballot');

  // Over the budget of £30,000: 15,000 + 12,000 + 9,500.
  for (const label of ['Warm space at the library', 'Community fridge', 'Benches on the coastal path', 'Bike repair workshop']) {
    await tick(page, label, false);
  }
  await tick(page, 'Street lights on Harbour Lane', true);
  await tick(page, 'Lowhaven play park repairs', true);
  await tick(page, 'Youth music sessions', true);
  const total = page.locator('[data-pb-sum]');
  if (tab.js) {
    check('the running total updates as boxes are ticked', (await total.innerText()).trim() === '£36,500', await total.innerText());
    check('the over-budget warning shows at once', await page.locator('[data-pb-over]').isVisible());
  } else {
    await navigating(tab, () => page.getByRole('button', { name: t('pb.check_total') }).click());
    await audit(tab, 'knapsack ballot, total checked');
    check('[no JS] "Check my total" shows the total', (await total.innerText()).trim() === '£36,500', await total.innerText());
    check('[no JS] the over-budget warning shows', await page.locator('[data-pb-over]').isVisible());
  }
  await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_submit') }).click());
  await audit(tab, 'knapsack ballot over budget', { status: 400 });
  await checkErrorSummary(tab, `${prefix}over-budget ballot`, ['choices']);
  check(`${prefix}the ticked boxes are kept`, await page.getByLabel('Street lights on Harbour Lane', { exact: true }).isChecked());

  await tick(page, 'Street lights on Harbour Lane', false);
  if (tab.js) check('the total drops back within budget', (await total.innerText()).trim() === '£21,500', await total.innerText());
  await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_submit') }).click());
  check(`${prefix}sending the vote shows the confirmation`,
    (await page.locator('.govuk-panel--confirmation').count()) === 1 && (await heading(tab)) === t('pb.ballot_heading'),
    page.url());
  check(`${prefix}the confirmation lists the choices`,
    (await page.locator('main li', { hasText: 'Youth music sessions' }).count()) === 1);
  await audit(tab, 'vote sent');
  await signOut(tab);
}

async function results(tab) {
  const page = tab.page;
  await openBudget(tab, CLOSED);
  await audit(tab, 'closed budget');
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_results') }).click());
  await audit(tab, 'results');
  const why = await page.locator('.pb-why').allInnerTexts();
  check('the first winner says why it was chosen', why[0].includes('together they could pay for it'), why[0]);
  check('a project that lost says where its backers\' money went',
    why.some((w) => w.includes('had already spent their share on')), why.join(' | ').slice(0, 400));
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_compare') }).click());
  await audit(tab, 'greedy vs equal shares');
  const summary = await page.locator('main').innerText();
  check('the comparison says how many projects differ', /differ on \d+ projects/.test(summary), summary.slice(0, 300));
  check('the comparison counts voters who got a project they backed', summary.includes('got at least one project they backed'));

  // Delivery tracking of the funded projects, open to everyone; the demo has progress on two.
  await openBudget(tab, CLOSED);
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_results') }).click());
  await navigating(tab, () => page.getByRole('link', { name: t('pb.delivery_link') }).click());
  await audit(tab, 'delivery of funded projects');
  const delivery = await page.locator('main').innerText();
  check('the delivery page shows progress as text', delivery.includes('60% done') && delivery.includes('25% done'),
    delivery.slice(0, 400));

  await openBudget(tab, CLOSED);
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_proposals') }).click());
  await audit(tab, 'ideas');
  await navigating(tab, () => page.getByRole('link', { name: 'Job club laptops' }).click());
  await audit(tab, 'an idea');

  // A worker's paper ballot page, and an admin's form with its errors.
  await signIn(tab, 'worker');
  await openBudget(tab, VOTING);
  await navigating(tab, () => page.getByRole('link', { name: t('pb.assisted_link') }).click());
  await navigating(tab, () => page.getByRole('link', { name: 'Kirkton' }).click());
  await audit(tab, 'paper ballot entry');
  await page.locator('#voter_name').fill('Morag Stewart');
  await page.locator('#paper_ref').fill(`KS-${Date.now().toString(36)}`);
  await tick(page, 'Dementia cafe', true);
  await navigating(tab, () => page.getByRole('button', { name: t('pb.assisted_submit') }).click());
  check('a paper ballot is saved', (await page.locator('.govuk-notification-banner--success').innerText()).includes(t('pb.flash_assisted')));
  await signOut(tab);

  // The gap chart of the budget in voting (rated before voting opened).
  await openBudget(tab, VOTING);
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_priorities') }).click());
  await audit(tab, 'priorities with the gap chart');
  check('the gap chart shows each rated priority', (await page.locator('svg circle').count()) === 5);
  const first = (await page.locator('main ol li strong').first().innerText()).trim();
  check('the biggest gap is listed first', first === 'Childcare that fits shift work', first);

  // An admin starts a budget, adds a priority, and rates it.
  await signIn(tab, 'admin');
  await go(tab, '/pb/new');
  await audit(tab, 'new community budget');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.save_button') }).click());
  await audit(tab, 'new community budget with errors', { status: 400 });
  await checkErrorSummary(tab, 'empty budget form', ['budget', 'title']);
  const title = `Harbour youth fund ${Date.now().toString(36)}`;
  await page.locator('#title').fill(title);
  await page.locator('#budget').fill('25000');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.save_button') }).click());
  check('a new budget opens in the finding-out stage', (await heading(tab)) === title, await heading(tab));
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_priorities') }).click());
  await page.locator('#title').fill('Safe places to meet friends');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.add_priority_button') }).click());
  await page.locator('select[name^=importance_]').selectOption('5');
  await page.locator('select[name^=satisfaction_]').selectOption('2');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.rate_button') }).click());
  check('rating a priority puts it on the chart', (await page.locator('svg circle').count()) === 1);
  await audit(tab, 'priorities after rating');

  // Change its dates, open it for ideas, suggest one and put it on the ballot.
  await navigating(tab, () => page.getByRole('link', { name: t('pb.back_to_process') }).click());
  const budgetPath = new URL(page.url()).pathname;
  await navigating(tab, () => page.getByRole('link', { name: t('pb.edit_link') }).click());
  await audit(tab, 'change a community budget');
  await page.locator('#voting_date').fill('2027-03-01');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.save_button') }).click());
  check('the new date shows on the timeline', (await page.locator('.pb-timeline').innerText()).includes('2027-03-01'));
  await go(tab, `${budgetPath}/vote`);
  await audit(tab, 'voting not open yet', { status: 409 });
  await go(tab, budgetPath);
  await page.locator('#phase').selectOption('proposals');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.move_phase_button') }).click());
  await navigating(tab, () => page.getByRole('link', { name: t('pb.see_proposals') }).click());
  await navigating(tab, () => page.getByRole('button', { name: t('pb.propose_button') }).click());
  await audit(tab, 'suggest an idea');
  await page.locator('#title').fill('Youth club kit');
  await page.locator('#description').fill('Games and a sound system for the youth club.');
  await page.locator('#cost').fill('£3,000');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.propose_submit') }).click());
  check('the idea is waiting for a check', (await page.locator('main').innerText()).includes(t('pb.status_submitted')));
  await audit(tab, 'idea waiting for a check');
  await page.locator('#decision-accept').check();
  await navigating(tab, () => page.getByRole('button', { name: t('pb.review_button') }).click());
  check('the idea is on the ballot', (await page.locator('main').innerText()).includes(t('pb.status_accepted')));
  await signOut(tab);
}

// A whole budget from start to finish, once with an approval ballot and once with points: an admin
// sets it up (with a least number of choices for approval), a person suggests three ideas (one
// with a plain summary and a postcode), the admin rejects one with a public reason and accepts the
// others, opens voting; the person votes (first breaking the least-number rule), a worker enters a
// paper ballot, the admin closes voting and everyone reads the results with their explanation and
// "your share". Every page is audited.
async function lifecycle(tab, kind) {
  const page = tab.page;
  const stamp = Date.now().toString(36);
  const title = `${kind === 'approval' ? 'Shore paths' : 'Harbour points'} fund ${stamp}`;
  await signIn(tab, 'admin');
  await go(tab, '/pb/new');
  await page.locator('#title').fill(title);
  await page.locator(kind === 'approval' ? '#ballot_kind' : '#ballot_kind-cumulative').check();
  await page.locator('#budget').fill('1000');
  if (kind === 'approval') await page.locator('#min_choices').fill('2');
  else await page.locator('#points').fill('10');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.save_button') }).click());
  check(`${kind}: the budget is made`, (await heading(tab)) === title, await heading(tab));
  const budgetPath = new URL(page.url()).pathname;
  await page.locator('#phase').selectOption('proposals');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.move_phase_button') }).click());
  await signOut(tab);

  await signIn(tab, 'person');
  const ideas = [['Path lights', '600'], ['Picnic benches', '400'], ['Giant statue', '900']];
  for (const [idea, cost] of ideas) {
    await go(tab, `${budgetPath}/proposals/new`);
    if (idea === 'Path lights') await audit(tab, `${kind}: suggest an idea`);
    await page.locator('#title').fill(idea);
    await page.locator('#description').fill(`We would like ${idea.toLowerCase()} near the shore.`);
    await page.locator('#cost').fill(cost);
    if (idea === 'Path lights') {
      await page.locator('#summary').fill('Lights so the path is safe after dark.');
      await page.locator('#postcode').fill('ky11aa');
    }
    await navigating(tab, () => page.getByRole('button', { name: t('pb.propose_submit') }).click());
  }
  check(`${kind}: the idea shows its summary and postcode`,
    (await page.locator('main').innerText()).includes('Giant statue'));
  await go(tab, `${budgetPath}/proposals`);
  await navigating(tab, () => page.getByRole('link', { name: 'Path lights' }).click());
  const idea = await page.locator('main').innerText();
  check(`${kind}: an idea shows its summary and place`, idea.includes('safe after dark') && idea.includes('KY1 1AA'), idea.slice(0, 300));
  await audit(tab, `${kind}: an idea with a summary`);
  await signOut(tab);

  await signIn(tab, 'admin');
  for (const [name] of ideas) {
    await go(tab, `${budgetPath}/proposals`);
    await navigating(tab, () => page.getByRole('link', { name }).click());
    if (name === 'Giant statue') {
      await page.locator('#decision-reject').check();
      await navigating(tab, () => page.getByRole('button', { name: t('pb.review_button') }).click());
      await audit(tab, `${kind}: rejecting without a reason`, { status: 400 });
      await checkErrorSummary(tab, `${kind}: a rejection needs a reason`, ['reason']);
      await page.locator('#decision-reject').check();
      await page.locator('#reason').fill('It would cost more than the whole area budget allows.');
    } else {
      await page.locator('#decision-accept').check();
    }
    await navigating(tab, () => page.getByRole('button', { name: t('pb.review_button') }).click());
  }
  check(`${kind}: the rejection reason is public`, (await page.locator('main').innerText()).includes('whole area budget'));
  await go(tab, budgetPath);
  await page.locator('#phase').selectOption('voting');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.move_phase_button') }).click());
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, `${budgetPath}/vote`);
  await audit(tab, `${kind}: ballot`);
  if (kind === 'approval') {
    await page.getByLabel('Path lights', { exact: true }).check();
    await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_submit') }).click());
    await audit(tab, `${kind}: too few choices`, { status: 400 });
    await checkErrorSummary(tab, `${kind}: at least two projects`, ['choices']);
    await page.getByLabel('Picnic benches', { exact: true }).check();
  } else {
    await page.getByLabel('Path lights (£600)').fill('7');
    await page.getByLabel('Picnic benches (£400)').fill('4');
    await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_submit') }).click());
    await audit(tab, `${kind}: points do not add up`, { status: 400 });
    await checkErrorSummary(tab, `${kind}: ten points`, ['choices']);
    await page.getByLabel('Picnic benches (£400)').fill('3');
  }
  await navigating(tab, () => page.getByRole('button', { name: t('pb.vote_submit') }).click());
  check(`${kind}: the vote is sent`, (await heading(tab)) === t('pb.ballot_heading'), await heading(tab));
  await audit(tab, `${kind}: vote sent`);
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, `${budgetPath}/assisted`);
  await audit(tab, `${kind}: paper ballot`);
  await page.locator('#voter_name').fill('Morag Stewart');
  await page.locator('#paper_ref').fill(`P-${stamp}`);
  if (kind === 'approval') {
    await page.getByLabel('Path lights', { exact: true }).check();
    await page.getByLabel('Picnic benches', { exact: true }).check();
  } else {
    await page.getByLabel('Path lights (£600)').fill('10');
  }
  await navigating(tab, () => page.getByRole('button', { name: t('pb.assisted_submit') }).click());
  check(`${kind}: the paper ballot is saved`,
    (await page.locator('.govuk-notification-banner--success').innerText()).includes(t('pb.flash_assisted')));
  await signOut(tab);

  await signIn(tab, 'admin');
  await go(tab, budgetPath);
  await page.locator('#phase').selectOption('results');
  await navigating(tab, () => page.getByRole('button', { name: t('pb.move_phase_button') }).click());
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, `${budgetPath}/results`);
  await audit(tab, `${kind}: results`);
  const res = await page.locator('main').innerText();
  check(`${kind}: results explain each chosen project`, res.includes('Path lights') && res.includes(t('pb.col_why')), res.slice(0, 300));
  check(`${kind}: results say what supporters paid`, (await page.locator('.pb-paid').count()) >= 1);
  check(`${kind}: the voter sees their own share`, (await page.locator('.pb-your-share').count()) === 1);
  await go(tab, `${budgetPath}/compare`);
  await audit(tab, `${kind}: comparison`);
  await signOut(tab);
}

export const flows = [
  { label: 'pb-vote', js: true, run: voteKnapsack },
  { label: 'pb-vote-nojs', js: false, run: voteKnapsack },
  { label: 'pb-results', js: true, run: results },
  { label: 'pb-lifecycle-approval', js: true, run: (tab) => lifecycle(tab, 'approval') },
  { label: 'pb-lifecycle-cumulative', js: false, run: (tab) => lifecycle(tab, 'cumulative') },
];
