// Contribution analysis. A key worker starts a theory of change (error summary first), adds results
// on two levels (error summary for a missing level), links them, and on the link page adds an
// assumption and a rival explanation, a document (a bad web address first), a quote (refused until
// the person's agreement is ticked), a figure from the platform, and a rating (refused without a
// reason). The contribution story shows the chain as a picture and in words, in English and Welsh.
// A person who uses services reads the demo partnership's story and finds no forms to change it.
import { audit, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

async function buildAChain(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const title = `Peer mentors ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await signIn(tab, 'worker');
  await go(tab, '/toolkit/contribution');
  await audit(tab, 'theories of change');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.new_button') }).click());
  await audit(tab, 'new theory of change');
  await page.locator('#summary').fill('Mentors who found work meet people who are looking.');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.save') }).click());
  await audit(tab, 'new theory with errors', { status: 400 });
  await checkErrorSummary(tab, `${prefix}empty theory`, ['title', 'question']);
  check(`${prefix}the summary typed is kept`, (await page.locator('#summary').inputValue()).includes('Mentors who found work'));
  await page.locator('#title').fill(title);
  await page.locator('#question').fill('Have peer mentors helped people apply for jobs?');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.save') }).click());
  check(`${prefix}the theory is saved`, (await heading(tab)) === title, await heading(tab));
  await audit(tab, 'theory of change');
  check(`${prefix}step 1 is done`, (await page.locator('#step-1 .govuk-tag').innerText()).trim() === t('contribution.status_done'));

  await page.locator('#statement').fill('Mentors meet people once a fortnight');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_result_button') }).click());
  await audit(tab, 'result without a level', { status: 400 });
  await checkErrorSummary(tab, `${prefix}result without a level`, ['level']);
  await page.locator('#level').selectOption('activities');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_result_button') }).click());
  await page.locator('#level').selectOption('reactions');
  await page.locator('#statement').fill('People trust someone who has been where they are');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_result_button') }).click());
  check(`${prefix}both results show`, (await page.locator('main').innerText()).includes('People trust someone'));
  await page.locator('#from').selectOption({ label: 'Mentors meet people once a fortnight' });
  await page.locator('#to').selectOption({ label: 'People trust someone who has been where they are' });
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_link_button') }).click());
  check(`${prefix}the link page opens`, (await heading(tab)) === t('contribution.link_heading'), await heading(tab));
  await audit(tab, 'link');

  await page.locator('#assumption').fill('Mentors have time to meet every fortnight.');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_assumption') }).click());
  await page.locator('#influence').fill('A new jobs fair in the town centre.');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_influence') }).click());

  await page.locator('#doc_title').fill('Mentor meeting notes');
  await page.locator('#doc_url').fill('javascript:alert(1)');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_document') }).click());
  await audit(tab, 'document with a bad address', { status: 400 });
  await checkErrorSummary(tab, `${prefix}bad document address`, ['doc_url']);
  check(`${prefix}the document title is kept`, (await page.locator('#doc_title').inputValue()) === 'Mentor meeting notes');
  await page.locator('#doc_url').fill('https://kingdomshore.example/mentor-notes');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_document') }).click());

  await page.locator('#quote_text').fill('She had been out of work too, so I believed her.');
  await page.locator('#quote_who').fill('A person with a mentor');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_quote') }).click());
  await audit(tab, 'quote without agreement', { status: 400 });
  await checkErrorSummary(tab, `${prefix}quote without agreement`, ['quote_consent']);
  await page.locator('#quote_consent').check();
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_quote') }).click());
  await page.locator('#figure_key').selectOption('events_attended');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.add_figure') }).click());
  const main = await page.locator('main').innerText();
  check(`${prefix}all three kinds of evidence show`,
    main.includes('Mentor meeting notes') && main.includes('so I believed her') && main.includes(t('contribution.figure_events_attended')),
    main.slice(main.indexOf(t('contribution.evidence_heading')), main.indexOf(t('contribution.add_figure_heading'))));

  await page.getByLabel(t('contribution.confidence_high'), { exact: true }).check();
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.rate_button') }).click());
  await audit(tab, 'rating without a reason', { status: 400 });
  await checkErrorSummary(tab, `${prefix}rating without a reason`, ['reason']);
  await page.getByLabel(t('contribution.confidence_medium'), { exact: true }).check();
  await page.locator('#reason').fill('A quote and the notes agree, but the jobs fair may explain some of it.');
  await navigating(tab, () => page.getByRole('button', { name: t('contribution.rate_button') }).click());
  check(`${prefix}the rating is saved`,
    (await page.locator('main .govuk-summary-list .govuk-tag').innerText()).trim() === t('contribution.confidence_medium'));
  await audit(tab, 'rated link');

  await navigating(tab, () => page.getByRole('link', { name: t('contribution.back_theory') }).click());
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('contribution.read_story') }).click());
  await audit(tab, 'contribution story');
  check(`${prefix}the story draws the chain`, (await page.locator('main svg.cp-chain').count()) === 1);
  const story = await page.locator('main').innerText();
  check(`${prefix}the story tells the link in words`,
    story.includes('the jobs fair may explain') && story.includes('A new jobs fair') && story.includes('Mentors have time'));
  await go(tab, `${page.url()}?lang=cy`);
  await audit(tab, 'contribution story in Welsh');
  check(`${prefix}the story is in Welsh`, (await page.locator('main').innerText()).includes(t('contribution.story_caption', 'cy')));
  await go(tab, '/toolkit/contribution?lang=en');
  await signOut(tab);
}

async function personReadsTheDemoStory(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  await signIn(tab, 'person');
  await go(tab, '/toolkit/contribution');
  await audit(tab, 'theories of change, read only');
  check(`${prefix}no button to start one`, (await page.getByRole('button', { name: t('contribution.new_button') }).count()) === 0);
  await navigating(tab, () => page.locator('main').getByRole('link', { name: 'Key worker support into work', exact: true }).click());
  await audit(tab, 'demo theory of change, read only');
  check(`${prefix}no forms to change it`, (await page.locator('main form').count()) === 0);
  const theoryUrl = page.url();
  await navigating(tab, () => page.locator('main a[href*="/links/"]').first().click());
  await audit(tab, 'demo link, read only');
  check(`${prefix}the link has no forms for a person`, (await page.locator('main form').count()) === 0);
  await go(tab, theoryUrl);
  await navigating(tab, () => page.locator('main').getByRole('link', { name: t('contribution.read_story') }).click());
  await audit(tab, 'demo contribution story');
  const story = await page.locator('main').innerText();
  check(`${prefix}weak links are flagged`, story.includes(t('contribution.weak_heading')) && story.includes(t('contribution.weak_flag')));
  check(`${prefix}a figure shows its value then and now`, /, (and still|now) /.test(story));
  await signOut(tab);
}

export const flows = [
  { label: 'a theory of change built link by link', js: true, run: buildAChain },
  { label: 'a theory of change built link by link (no JS)', js: false, run: buildAChain },
  { label: 'a person reads the contribution story', js: true, run: personReadsTheDemoStory },
  { label: 'a person reads the contribution story (no JS)', js: false, run: personReadsTheDemoStory },
];
