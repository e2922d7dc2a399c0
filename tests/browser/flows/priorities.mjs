// Focus it, the priority matrix. A manager opens the toolkit, starts a priority exercise (error
// summary first), adds two ideas to rate (error summary first), rates them with one "don't know",
// sees the chart and the table, and records a decision (error summary when taking it on without an
// owner). A person rates too. Every page on the way is audited at both widths.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function exercise(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `What first ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await go(tab, '/toolkit');
  await audit(tab, 'toolkit');
  await signIn(tab, 'manager');
  await go(tab, '/toolkit');
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('priorities.tool_priorities') }).click());
  await audit(tab, 'priority exercises');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.new_button') }).click());
  await audit(tab, 'new priority exercise');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.create_button') }).click());
  await audit(tab, 'new priority exercise with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}exercise without a name`, ['title']);
  await page.locator('#title').fill(title);
  await page.locator('#intro').fill('Tell us what would make the biggest difference.');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.create_button') }).click());
  check(`${prefix}the exercise is started`, (await heading(tab)) === title, await heading(tab));
  const exerciseUrl = page.url();

  for (const idea of ['Plain letters', 'Saturday drop-in']) {
    await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_link') }).click());
    if (idea === 'Plain letters') {
      await audit(tab, 'add an idea to rate');
      await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_button') }).click());
      await audit(tab, 'add an idea with errors', { status: 400 });
      await checkErrorSummary(tab, `${prefix}idea without a title`, ['title']);
    }
    await page.locator('#title').fill(idea);
    await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_button') }).click());
  }
  await go(tab, exerciseUrl);
  const selects = page.locator('main form select');
  check(`${prefix}two ideas to rate`, (await selects.count()) === 4, `${await selects.count()} selects`);
  await selects.nth(0).selectOption('5');
  await selects.nth(1).selectOption('2');
  await selects.nth(2).selectOption('dk');
  await selects.nth(3).selectOption('4');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.rate_button') }).click());
  check(`${prefix}answers are saved`, (await page.locator('.govuk-notification-banner').innerText()).includes(t('priorities.flash_rated')));
  check(`${prefix}the chart shows one quick win`, (await page.locator('main').innerText()).includes('There is 1 quick win.'));
  check(`${prefix}the chart is drawn`, (await page.locator('main svg[role="img"]').count()) === 1);
  await audit(tab, 'priority matrix');

  await navigating(tab, () => page.locator('main table').getByRole('link', { name: 'Plain letters' }).click());
  await audit(tab, 'an idea and its decisions');
  await page.getByLabel(t('priorities.decision_take_on'), { exact: true }).check();
  await page.locator('#reason').fill('It is a quick win.');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.decide_button') }).click());
  await audit(tab, 'decision with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}taking it on without an owner`, ['owner']);
  await page.getByLabel(t('priorities.decision_take_on'), { exact: true }).check();
  await page.locator('#owner').fill('Communications team');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.decide_button') }).click());
  check(`${prefix}the decision is kept`, (await page.locator('main').innerText()).includes('Communications team'));
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, exerciseUrl);
  await audit(tab, 'priority matrix for a person');
  await page.locator('main form select').nth(0).selectOption('4');
  await page.locator('main form select').nth(1).selectOption('1');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.rate_button') }).click());
  check(`${prefix}a person's answers are saved`, (await page.locator('.govuk-notification-banner').innerText()).includes(t('priorities.flash_rated')));
  await go(tab, `${exerciseUrl}?lang=cy`);
  await audit(tab, 'priority matrix in Welsh');
  await go(tab, `${exerciseUrl}?lang=en`);
  await signOut(tab);
}

// A feasibility matrix with an idea written in Welsh too: the manager chooses "how easy" as the
// second question, adds an idea in both languages and one in English only, and rates them; the
// chart and table speak of how easy each is, with the quick win at the top right. Read in Welsh,
// the Welsh title shows, and the English-only idea is marked as English.
async function feasibility(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `What is doable ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'manager');
  await go(tab, '/toolkit/priorities/new');
  await page.locator('#title').fill(title);
  await page.getByLabel(t('priorities.axis_choice_feasibility'), { exact: true }).check();
  await audit(tab, 'new feasibility exercise');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.create_button') }).click());
  check(`${prefix}the feasibility exercise is started`, (await heading(tab)) === title, await heading(tab));
  const exerciseUrl = page.url();
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_link') }).click());
  await page.locator('#title').fill('Saturday drop-in');
  await page.locator('#title_cy').fill('Sesiwn galw heibio ar ddydd Sadwrn');
  await page.locator('#description_cy').fill('Agor yr hwb ar fore Sadwrn.');
  await audit(tab, 'add an idea with Welsh');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_button') }).click());
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_link') }).click());
  await page.locator('#title').fill('New phone line');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.add_initiative_button') }).click());
  await go(tab, exerciseUrl);
  check(`${prefix}the form asks how easy`, (await page.locator('main').innerText()).includes(t('priorities.effort_question_feasibility')));
  const selects = page.locator('main form select');
  await selects.nth(0).selectOption('5');
  await selects.nth(1).selectOption('4');
  await selects.nth(2).selectOption('4');
  await selects.nth(3).selectOption('1');
  await navigating(tab, () => page.getByRole('button', { name: t('priorities.rate_button') }).click());
  const main = await page.locator('main').innerText();
  check(`${prefix}one quick win on the feasibility matrix`, main.includes('There is 1 quick win.'));
  check(`${prefix}the table says how easy`, (await page.locator('main table thead').innerText()).includes(t('priorities.col_effort_feasibility')));
  check(`${prefix}the hard idea is worth it but hard`, main.includes(t('priorities.quadrant_big_project_feasibility')));
  await audit(tab, 'feasibility matrix');
  await go(tab, `${exerciseUrl}?lang=cy`);
  check(`${prefix}the Welsh title is shown to a Welsh reader`,
    (await page.locator('main table').innerText()).includes('Sesiwn galw heibio ar ddydd Sadwrn'));
  check(`${prefix}the English-only idea is marked as English`,
    (await page.locator('main table a[lang="en"]', { hasText: 'New phone line' }).count()) === 1);
  await audit(tab, 'feasibility matrix in Welsh');
  await navigating(tab, () => page.locator('main table').getByRole('link', { name: 'Sesiwn galw heibio ar ddydd Sadwrn' }).click());
  await audit(tab, 'an idea in Welsh');
  await go(tab, `${exerciseUrl}?lang=en`);
  await signOut(tab);
}

export const flows = [
  { label: 'a priority exercise: rate, chart and decide', js: true, run: exercise },
  { label: 'a priority exercise: rate, chart and decide (no JS)', js: false, run: exercise },
  { label: 'a feasibility matrix with Welsh ideas', js: true, run: feasibility },
  { label: 'a feasibility matrix with Welsh ideas (no JS)', js: false, run: feasibility },
];
