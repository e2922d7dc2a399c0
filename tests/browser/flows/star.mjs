// The Co-Production Star ("Map it"). A manager starts an audit of one service (error summary first),
// takes part (error summary for the steps first), sees the star and its table, the pockets list,
// closes the audit and runs it again for the next year, then compares the two side by side. A
// person who uses services changes their answers to the demo partnership's audit and reads the
// results in Welsh. Every page on the way is audited (axe at 1280 and 320 px, no sideways scroll).
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function startAnswerCloseRepeat(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `Our service star ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'manager');
  await go(tab, '/toolkit/star');
  await audit(tab, 'star audits');
  await navigating(tab, () => page.getByRole('button', { name: t('star.start_button') }).click());
  await audit(tab, 'new star audit');
  await page.locator('#period').fill('');
  await navigating(tab, () => page.getByRole('button', { name: t('star.create_button') }).click());
  await audit(tab, 'new star audit with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}empty audit`, ['subject_kind', 'title', 'period']);
  await page.locator('#subject_kind-service').check();
  await page.locator('#service').selectOption({ index: 1 });
  await page.locator('#title').fill(title);
  await page.locator('#period').fill('2026');
  await navigating(tab, () => page.getByRole('button', { name: t('star.create_button') }).click());
  check(`${prefix}the audit is started`, (await heading(tab)) === title, await heading(tab));
  check(`${prefix}it is about the chosen service`,
    (await page.locator('main .govuk-caption-l').innerText()).startsWith(t('star.subject_service_named').split('{')[0]));
  check(`${prefix}evidence from the records is labelled`,
    (await page.locator('main').innerText()).includes(t('star.evidence_label')));
  await audit(tab, 'star audit, nobody yet');

  await navigating(tab, () => page.getByRole('button', { name: t('star.take_part_button') }).click());
  await audit(tab, 'take part in the star');
  check(`${prefix}the group is chosen from the role`, await page.locator('#group-manager').isChecked());
  await page.locator('#level_design').check();
  await navigating(tab, () => page.getByRole('button', { name: t('star.save_button') }).click());
  await audit(tab, 'take part with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}steps not chosen`, ['level_commissioning', 'level_delivery', 'level_assessment']);
  check(`${prefix}the step already chosen is kept`, await page.locator('#level_design').isChecked());
  await page.locator('#level_commissioning-4').check();
  await page.locator('#level_delivery-dont-know').check();
  await page.locator('#level_assessment-2').check();
  await page.locator('#examples_commissioning').fill('People who use the service sat on the panel that chose it.');
  await page.locator('#examples_assessment').fill('We only hear back once a year.');
  await navigating(tab, () => page.getByRole('button', { name: t('star.save_button') }).click());
  check(`${prefix}the answers are saved`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('star.flash_saved')));
  const main = await page.locator('main').innerText();
  check(`${prefix}the table shows the step`, main.includes(`4.0 (${t('star.level_codesigning')})`), main.slice(0, 400));
  check(`${prefix}a Co nobody rated says so`, main.includes(t('star.no_answers')));
  check(`${prefix}the star is drawn`, (await page.locator('main svg.cp-star-chart').count()) === 1);
  await audit(tab, 'star results');

  await navigating(tab, () => page.getByRole('link', { name: t('star.pockets_link') }).click());
  await audit(tab, 'star pockets');
  const pockets = await page.locator('#co-commissioning ~ ul').first().innerText();
  check(`${prefix}co-designing shows as happening`, pockets.includes('sat on the panel'), pockets);
  await navigating(tab, () => page.getByRole('link', { name: t('star.back_audit') }).click());

  await navigating(tab, () => page.getByRole('button', { name: t('star.close_button') }).click());
  check(`${prefix}the audit is closed`, (await page.locator('main .govuk-tag').first().innerText()).trim() === t('star.status_closed'));
  check(`${prefix}a closed audit has no take part button`,
    (await page.getByRole('button', { name: t('star.change_button') }).count()) === 0);
  await audit(tab, 'closed star audit');

  await navigating(tab, () => page.getByRole('link', { name: t('star.repeat_link') }).click());
  await audit(tab, 'run the star again');
  check(`${prefix}the next period is filled in`, (await page.locator('#period').inputValue()) === '2027');
  await navigating(tab, () => page.getByRole('button', { name: t('star.create_button') }).click());
  check(`${prefix}the repeat is started`, (await heading(tab)) === title);
  await navigating(tab, () => page.getByRole('link', { name: t('star.compare_link') }).click());
  await audit(tab, 'compare two years');
  check(`${prefix}two stars side by side`, (await page.locator('main svg.cp-star-chart').count()) === 2);
  check(`${prefix}the table of change says what cannot be compared`,
    (await page.locator('main').innerText()).includes(t('star.change_cannot')));
  await signOut(tab);
}

async function personChangesAndReadsInWelsh(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'person');
  await go(tab, '/toolkit/star');
  const item = page.locator('main li').filter({ hasText: 'How we work together' }).filter({ hasText: t('star.status_open') }).first();
  await navigating(tab, () => item.getByRole('link').click());
  await audit(tab, 'demo star audit');
  await navigating(tab, () => page.getByRole('button', { name: t('star.change_button') }).click());
  await audit(tab, 'change star answers');
  check(`${prefix}earlier answers are filled in`, await page.locator('#group-citizen').isChecked());
  await page.locator('#level_commissioning-3').check();
  await navigating(tab, () => page.getByRole('button', { name: t('star.save_button') }).click());
  check(`${prefix}the change is saved`,
    (await page.locator('.govuk-notification-banner').innerText()).includes(t('star.flash_changed')));
  await navigating(tab, () => page.getByRole('link', { name: t('star.compare_link') }).click());
  await audit(tab, 'demo star compared with last year');
  check(`${prefix}last year and this year side by side`, (await page.locator('main svg.cp-star-chart').count()) === 2);
  await go(tab, `${new URL(page.url()).pathname.replace(/\/compare$/, '')}?lang=cy`);
  await audit(tab, 'star results in Welsh');
  check(`${prefix}Welsh readers see Welsh`, (await page.locator('main').innerText()).includes(t('star.evidence_label', 'cy')));
  await go(tab, '/toolkit/star?lang=en');
  await signOut(tab);
}

export const flows = [
  { label: 'star: start, answer, close, repeat and compare', js: true, run: startAnswerCloseRepeat },
  { label: 'star: start, answer, close, repeat and compare (no JS)', js: false, run: startAnswerCloseRepeat },
  { label: 'star: a person changes their answers; Welsh', js: true, run: personChangesAndReadsInWelsh },
  { label: 'star: a person changes their answers; Welsh (no JS)', js: false, run: personChangesAndReadsInWelsh },
];
