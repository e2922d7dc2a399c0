// "Grow it": champions, the business case and staff skills checks. A member puts themself forward
// as a champion (error summary first) and a worker confirms them and adds a named champion; a
// worker adds a cost figure and changes it (the history keeps both), starts a business case, adds
// costs and outcomes (error summaries first) and checks the sums; a member of staff checks their
// skills (error summary first) and shares them; a manager reads a shared check; an admin adds a
// skill to the framework. Every page on the way is audited, with and without JavaScript.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

const level = (n) => t('grow.level_n').replace('{n}', String(n));

async function champions(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const who = tab.js ? 'person' : 'councillor';
  await signIn(tab, who);
  await go(tab, '/toolkit');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('priorities.tool_champions') }).click());
  await audit(tab, 'champions');
  const main = await page.locator('main').innerText();
  check(`${prefix}the demo champion shows with her award`, main.includes('Priya Shah') && main.includes('ask us what we wanted'));
  // Staff see every detail; everyone else sees only what each champion agreed to show.
  if (who === 'person') check(`${prefix}a champion who hides their phone does not show it`, main.includes('Tom Reid') && !main.includes('01592 000000'));
  await navigating(tab, () => page.getByRole('link', { name: t('grow.nominate_button') }).click());
  await audit(tab, 'put yourself forward');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.nominate_submit') }).click());
  await audit(tab, 'put yourself forward with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}nominate without an area`, ['area']);
  await page.getByLabel(t('grow.area_topic'), { exact: true }).check();
  await page.locator('#topic').fill(tab.js ? 'Digital inclusion' : 'Food poverty');
  await page.getByLabel(t('grow.contact_email'), { exact: true }).check();
  await navigating(tab, () => page.getByRole('button', { name: t('grow.nominate_submit') }).click());
  check(`${prefix}the nomination is thanked`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('grow.flash_nominated')));
  check(`${prefix}the member is told it waits for staff`, (await page.locator('main').innerText()).includes(t('grow.mine_pending')));
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, '/toolkit/champions');
  await audit(tab, 'champions for staff');
  const topic = tab.js ? 'Digital inclusion' : 'Food poverty';
  const card = page.locator('.govuk-summary-card', { hasText: topic });
  check(`${prefix}staff see the nomination waiting`, (await card.locator('.govuk-tag').innerText()).trim() === t('grow.tag_pending'));
  await navigating(tab, () => card.getByRole('button', { name: new RegExp(`^${t('grow.confirm_button')}`) }).click());
  check(`${prefix}the champion is confirmed`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('grow.flash_confirmed')));
  await navigating(tab, () => page.getByRole('link', { name: t('grow.champion_add_button') }).click());
  await audit(tab, 'add a champion');
  await page.locator('#name').fill('');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.champion_add_button') }).click());
  await audit(tab, 'add a champion with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}add a champion with nothing filled in`, ['name', 'area', 'contact_pref']);
  const named = `Morven Ross ${tab.js ? 'js' : 'nojs'}`;
  await page.locator('#name').fill(named);
  await page.locator('#organisation').fill('Kingdom Shore Food Larder');
  await page.getByLabel(t('grow.area_co_delivery'), { exact: true }).check();
  await page.getByLabel(t('grow.contact_through_staff'), { exact: true }).check();
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.champion_add_button') }).click());
  check(`${prefix}the named champion is listed`, (await page.locator('main').innerText()).includes(named));
  await go(tab, '/toolkit/champions?lang=cy');
  await audit(tab, 'champions in Welsh');
  check(`${prefix}the page is in Welsh`, (await heading(tab)) === t('grow.champions_heading', 'cy'));
  await go(tab, '/toolkit/champions?lang=en');
  await signOut(tab);
}

async function businessCase(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const stamp = `${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'worker');
  await go(tab, '/toolkit/business-case');
  await audit(tab, 'business cases');
  await navigating(tab, () => page.getByRole('link', { name: 'Peer mentors at the job club' }).click());
  await audit(tab, 'the demo business case');
  check(`${prefix}the demo case totals £8,570.50`, (await page.locator('[data-figure=total]').innerText()).trim() === '£8,570.50');
  check(`${prefix}the demo case avoids £69,600.00`, (await page.locator('[data-figure=value]').innerText()).trim() === '£69,600.00');
  check(`${prefix}each job start costs £1,428.42`,
    (await page.locator('.govuk-summary-card', { hasText: 'People who started work' }).locator('[data-cost-per]').innerText()).trim() === '£1,428.42');

  await go(tab, '/toolkit/business-case/assumptions');
  await audit(tab, 'cost figures');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_assumption_button') }).click());
  await audit(tab, 'cost figure with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}add a cost figure with nothing filled in`, ['name', 'unit', 'value', 'source']);
  const figure = `A cup of tea ${stamp}`;
  await page.locator('#name').fill(figure);
  await page.locator('#unit').selectOption('each');
  await page.locator('#value').fill('2.50');
  await page.locator('#source').fill('The café price list, spring 2026.');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_assumption_button') }).click());
  await audit(tab, 'one cost figure');
  check(`${prefix}the figure is £2.50 each`, (await page.locator('[data-assumption-value]').innerText()).includes('£2.50'));
  await page.locator('#value').fill('3');
  await page.locator('#source').fill('The café price list, autumn 2026.');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.save') }).click());
  const history = await page.locator('main ol').innerText();
  check(`${prefix}the history keeps both values and sources`,
    history.includes('£3.00') && history.includes('£2.50') && history.includes('spring 2026') && history.includes('autumn 2026'));

  await go(tab, '/toolkit/business-case/new');
  await audit(tab, 'start a business case');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.case_create_button') }).click());
  await audit(tab, 'start a business case with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}a business case without a name`, ['title']);
  await page.locator('#title').fill(`Tea and talk ${stamp}`);
  await navigating(tab, () => page.getByRole('button', { name: t('grow.case_create_button') }).click());
  await audit(tab, 'a new business case');
  await page.locator('#cost_kind').selectOption('staff');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_cost_button') }).click());
  await audit(tab, 'a cost with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}staff time without hours or a rate`, ['cost_hours', 'cost_rate']);
  await page.locator('#cost_kind').selectOption('staff');
  await page.locator('#cost_description').fill('Running the group');
  await page.locator('#cost_hours').fill('10');
  await page.locator('#cost_rate').selectOption({ label: `Staff time (${t('grow.per_hour').replace('{amount}', '£28.50')})` });
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_cost_button') }).click());
  await page.locator('#cost_kind').selectOption('venue');
  await page.locator('#cost_description').fill('Church hall');
  await page.locator('#cost_amount').fill('100');
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_cost_button') }).click());
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_outcome_button') }).click());
  await audit(tab, 'an outcome with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}an outcome with nothing filled in`, ['outcome_description', 'outcome_number']);
  await page.locator('#outcome_description').fill('Cups of tea shared');
  await page.locator('#outcome_number').fill('40');
  await page.locator('#outcome_value').selectOption({ label: `${figure} (${t('grow.per_each').replace('{amount}', '£3.00')})` });
  await navigating(tab, () => page.getByRole('button', { name: t('grow.add_outcome_button') }).click());
  await audit(tab, 'a business case with costs and outcomes');
  // 10 hours at £28.50 plus £100 = £385.00; 40 cups at £3.00 = £120.00; £385 / 40 = £9.63 each.
  check(`${prefix}the total is £385.00`, (await page.locator('[data-figure=total]').innerText()).trim() === '£385.00');
  check(`${prefix}the cost avoided is £120.00`, (await page.locator('[data-figure=value]').innerText()).trim() === '£120.00');
  check(`${prefix}it costs £265.00 more than it saves`, (await page.locator('[data-figure=net]').innerText()).trim() === '£265.00');
  check(`${prefix}each cup costs £9.63`, (await page.locator('[data-cost-per]').first().innerText()).trim() === '£9.63');
  check(`${prefix}the figures used are listed and linked`,
    (await page.locator('#assumptions-used + dl').getByRole('link', { name: figure }).count()) === 1);
  await go(tab, `${page.url().split('#')[0]}?lang=cy`);
  await audit(tab, 'a business case in Welsh');
  await go(tab, '/toolkit/business-case?lang=en');
  await signOut(tab);
}

async function skills(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'admin');
  await go(tab, '/toolkit/competencies/framework');
  await audit(tab, 'the skills list');
  await navigating(tab, () => page.getByRole('link', { name: t('grow.competency_add_button') }).click());
  await audit(tab, 'add a skill');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.save') }).click());
  await audit(tab, 'add a skill with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}a skill with nothing filled in`, ['name', 'description', 'level1']);
  const skill = `Welcoming newcomers ${tab.js ? 'js' : 'nojs'}`;
  await page.locator('#name').fill(skill);
  await page.locator('#description').fill('Helping new people feel they belong from the first day.');
  await page.locator('#level1').fill('I leave it to others.');
  await page.locator('#level2').fill('I say hello and show people around.');
  await page.locator('#level3').fill('I pair new people with someone who knows the ropes.');
  await page.locator('#level4').fill('Newcomers help us change how we welcome people.');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.save') }).click());
  check(`${prefix}the skill is in the list`, (await page.locator('main').innerText()).includes(skill));
  await signOut(tab);

  const who = tab.js ? 'worker' : 'commissioner';
  await signIn(tab, who);
  await go(tab, '/toolkit/competencies');
  await audit(tab, 'co-production skills');
  await navigating(tab, () => page.getByRole('link', { name: t('grow.assess_button') }).click());
  await audit(tab, 'check my skills');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.assess_save') }).click());
  await audit(tab, 'check my skills with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}a skills check with no levels`, []);
  const sets = page.locator('main form fieldset');
  const n = await sets.count();
  for (let i = 0; i < n; i++) await sets.nth(i).getByLabel(level(3), { exact: true }).check();
  await page.locator('main form textarea').first().fill('I asked the walking group to plan the route.');
  await navigating(tab, () => page.locator('main form').getByRole('button', { name: t('grow.assess_save') }).click());
  check(`${prefix}the check is saved`, (await page.locator('.govuk-notification-banner').innerText()).includes(t('grow.flash_assessed')));
  check(`${prefix}the history shows the example`, (await page.locator('main').innerText()).includes('plan the route'));
  await audit(tab, 'co-production skills with a check');
  if (tab.js) {
    await navigating(tab, () => page.getByRole('button', { name: t('grow.start_sharing') }).click());
    check(`${prefix}the check is shared`, (await page.locator('#share-state').innerText()).trim() === t('grow.shared_yes'));
    await navigating(tab, () => page.getByRole('button', { name: t('grow.stop_sharing') }).click());
    check(`${prefix}sharing stops`, (await page.locator('#share-state').innerText()).trim() === t('grow.shared_no'));
  } else {
    check(`${prefix}staff with no team are told there is no one to share with`,
      (await page.locator('main').innerText()).includes(t('grow.cannot_share')));
  }
  await signOut(tab);

  await signIn(tab, 'manager');
  await go(tab, '/toolkit/competencies/team');
  await audit(tab, 'staff who share with you');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: 'Lewis Grant' }).click());
  await audit(tab, 'a shared skills check');
  check(`${prefix}the manager reads the shared check`, (await heading(tab)) === 'Lewis Grant' &&
    (await page.locator('main').innerText()).includes('The café group now sets its own menu.'));
  await signOut(tab);
}

export const flows = [
  { label: 'champions: put yourself forward, confirm, add', js: true, run: champions },
  { label: 'champions: put yourself forward, confirm, add (no JS)', js: false, run: champions },
  { label: 'a business case with its cost figures', js: true, run: businessCase },
  { label: 'a business case with its cost figures (no JS)', js: false, run: businessCase },
  { label: 'skills checks, sharing and the framework', js: true, run: skills },
  { label: 'skills checks, sharing and the framework (no JS)', js: false, run: skills },
];
