// Co-design: labs, idea boards and journey maps.
// 1. A worker makes a lab with one place (error summary first); a person signs up asking for travel
//    costs; the manager finds it full and joins the waiting list; the person cancels and the manager
//    is moved up; the worker records attendance and an expense (error summary first).
// 2. A person puts an idea; a worker refuses "not adopted" without a reason (error summary), adopts
//    it and agrees an action that then shows on the idea.
// 3. The demo journey map: a person opens the editor; meanwhile a worker saves a new version from
//    another session; the person's save gets the conflict message with their words kept, and
//    saving again makes a new version; the compare page shows before and after.
// Every page on the way is audited (axe at 1280 and 320 px).
import { request } from 'playwright-core';
import { ACCOUNTS, audit, base, check, checkErrorSummary, go, heading, navigating, signIn, signOut, t } from '../lib.mjs';

function inDays(n) {
  const d = new Date(Date.now() + n * 86400000);
  return d.toISOString().slice(0, 10);
}

async function labFlow(tab) {
  const page = tab.page;
  const p = tab.js ? '' : '[no JS] ';
  const title = `Shape the new day centre ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await go(tab, '/events');
  await audit(tab, 'labs list');
  await signIn(tab, 'worker');
  await go(tab, '/events/new');
  await audit(tab, 'new lab form');
  await navigating(tab, () => page.getByRole('button', { name: t('events.save_button') }).click());
  await audit(tab, 'new lab with errors', { status: 400 });
  await checkErrorSummary(tab, `${p}empty lab`, ['title', 'date', 'start_time', 'end_time', 'place']);
  await page.locator('#title').fill(title);
  await page.locator('#description').fill('We will plan the new day centre together.');
  await page.locator('#date').fill(inDays(9));
  await page.locator('#start_time').fill('10:00');
  await page.locator('#end_time').fill('12:00');
  await page.locator('#place').fill('Kirkbeath Community Hub');
  await page.locator('#access_info').fill('Step-free entrance.');
  await page.locator('#supports-travel').check();
  await page.locator('#supports-whispering').check();
  await page.locator('#capacity').fill('1');
  await navigating(tab, () => page.getByRole('button', { name: t('events.save_button') }).click());
  check(`${p}the lab is made`, (await heading(tab)) === title, await heading(tab));
  const labUrl = page.url();
  await audit(tab, 'lab page as organiser');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, labUrl);
  await audit(tab, 'lab page before sign-up');
  await page.locator('#needs-travel').check();
  await navigating(tab, () => page.getByRole('button', { name: t('events.sign_up_button') }).click());
  check(`${p}the person has a place`, (await page.locator('main').innerText()).includes(t('events.you_are_booked')));
  await audit(tab, 'lab page when booked');
  await signOut(tab);

  await signIn(tab, 'manager');
  await go(tab, labUrl);
  check(`${p}the lab shows as full`, (await page.locator('main').innerText()).includes(t('events.full_explained')));
  await navigating(tab, () => page.getByRole('button', { name: t('events.join_waiting_button') }).click());
  check(`${p}the manager is waiting`, (await page.locator('main').innerText()).includes(t('events.you_are_waiting')));
  await audit(tab, 'lab page when waiting');
  await signOut(tab);

  await signIn(tab, 'person');
  await go(tab, labUrl);
  await navigating(tab, () => page.getByRole('button', { name: t('events.cancel_button') }).click());
  await signOut(tab);
  await signIn(tab, 'manager');
  await go(tab, labUrl);
  check(`${p}the manager was moved up from the waiting list`, (await page.locator('main').innerText()).includes(t('events.you_are_booked')));
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, `${labUrl}/manage`);
  await audit(tab, 'lab sign-ups');
  await page.locator('main input[name="present"]').first().check();
  await navigating(tab, () => page.getByRole('button', { name: t('events.attendance_button') }).click());
  check(`${p}attendance is saved`, (await page.locator('main input[name="present"]').first().isChecked()));
  await navigating(tab, () => page.getByRole('button', { name: t('events.expense_button') }).click());
  await audit(tab, 'expense with errors', { status: 400 });
  await checkErrorSummary(tab, `${p}empty expense`, ['amount', 'what_for', 'paid_on']);
  await page.locator('#amount').fill('8.40');
  await page.locator('#what_for').fill('Bus fare');
  await page.locator('#paid_on').fill(inDays(0));
  await navigating(tab, () => page.getByRole('button', { name: t('events.expense_button') }).click());
  check(`${p}the expense is listed`, (await page.locator('main').innerText()).includes('Bus fare'));
  await audit(tab, 'lab sign-ups with an expense');
  await go(tab, `${labUrl}/edit`);
  await audit(tab, 'edit lab');
  const ics = await page.request.get(new URL(`${labUrl}.ics`, base).href);
  check(`${p}the lab's calendar file is served`, ics.status() === 200 && (await ics.text()).startsWith('BEGIN:VCALENDAR\r\n'));
  await signOut(tab);
}

async function ideaFlow(tab) {
  const page = tab.page;
  const p = tab.js ? '' : '[no JS] ';
  const title = `Evening sessions for working carers ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await go(tab, '/ideas');
  await audit(tab, 'ideas');
  await signIn(tab, 'person');
  await go(tab, '/ideas/new');
  await audit(tab, 'new idea');
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.post_button') }).click());
  await audit(tab, 'new idea with errors', { status: 400 });
  await checkErrorSummary(tab, `${p}empty idea`, ['title']);
  await page.locator('#title').fill(title);
  await page.locator('#body').fill('Many carers work in the day.');
  const titleCy = `Sesiynau gyda'r nos i ofalwyr sy'n gweithio ${tab.js ? 'js' : 'nojs'} ${Date.now()}`;
  await page.locator('#title_cy').fill(titleCy);
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.post_button') }).click());
  check(`${p}the idea is posted`, (await heading(tab)) === title, await heading(tab));
  const ideaUrl = page.url();
  // A reader who chose Welsh sees the Welsh title the author gave.
  await go(tab, `${new URL(ideaUrl).pathname}?lang=cy`);
  check(`${p}the idea shows in Welsh`, (await heading(tab)) === titleCy, await heading(tab));
  await audit(tab, 'idea in Welsh');
  await go(tab, `${new URL(ideaUrl).pathname}?lang=en`);
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.support_button') }).click());
  check(`${p}the idea is supported`, (await page.locator('main').innerText()).includes(t('ideas.you_support')));
  await page.locator('#body').fill('<script>alert(1)</script> I agree');
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.comment_button') }).click());
  check(`${p}script in a comment is shown as text`, (await page.locator('main').innerText()).includes('<script>alert(1)</script> I agree'));
  await audit(tab, 'idea with a comment');
  await navigating(tab, () => page.locator('main a.govuk-back-link').click());
  await audit(tab, 'idea board');
  await signOut(tab);

  await signIn(tab, 'worker');
  await go(tab, ideaUrl);
  await audit(tab, 'idea as staff');
  await page.locator('#status-not_adopted').check();
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.status_button') }).click());
  await audit(tab, 'not adopted without a reason', { status: 400 });
  await checkErrorSummary(tab, `${p}not adopted without a reason`, ['reason']);
  await page.locator('#status-adopted').check();
  await page.locator('#reason').fill('We will try evening sessions in the spring.');
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.status_button') }).click());
  check(`${p}the idea is adopted`, (await page.locator('main .govuk-tag--green').first().innerText()).trim() === t('ideas.status_adopted'));
  await page.locator('#action_owner').fill('Carers team');
  await page.locator('#action_due').fill(inDays(60));
  await navigating(tab, () => page.getByRole('button', { name: t('ideas.agree_button') }).click());
  check(`${p}the agreed action shows on the idea`, (await page.locator('main').innerText()).includes(t('ideas.actions_heading')));
  await audit(tab, 'adopted idea with its action');
  await signOut(tab);
}

// Signs in through the form in a separate HTTP session (a second person at another computer).
async function otherSession(who) {
  const ctx = await request.newContext({ baseURL: base });
  const form = await (await ctx.get('/sign-in')).text();
  const csrf = form.match(/name="csrf_token" value="([^"]+)"/)[1];
  await ctx.post('/sign-in', { form: { csrf_token: csrf, email: ACCOUNTS[who].email, password: ACCOUNTS[who].password } });
  return ctx;
}

async function journeyMapFlow(tab) {
  const page = tab.page;
  const p = tab.js ? '' : '[no JS] ';
  await go(tab, '/journey-maps');
  await audit(tab, 'journey maps');
  await navigating(tab, () => page.locator('main ul a').first().click());
  const mapUrl = page.url();
  await audit(tab, 'journey map');
  check(`${p}the chart is an image with a title`, (await page.locator('main svg[role="img"] title').count()) === 1);
  await navigating(tab, () => page.getByRole('link', { name: t('journeymaps.compare_link') }).click());
  await audit(tab, 'compare versions');
  check(`${p}the compare page marks changed stages`, (await page.locator('main').innerText()).includes(t('journeymaps.mark_changed')));

  await signIn(tab, 'person');
  await go(tab, `${mapUrl}/edit`);
  await audit(tab, 'edit journey map');
  const words = `The letter came late, note ${Date.now() % 100000}`;
  await page.locator('#stage_0_doesnt').fill(words);

  // Meanwhile a worker saves from the same version in another session.
  const worker = await otherSession('worker');
  const editHtml = await (await worker.get(new URL(`${mapUrl}/edit`).pathname)).text();
  const unescape = (v) => v.replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = {};
  for (const [tag] of editHtml.matchAll(/<input[^>]*>/g)) {
    const name = tag.match(/ name="([^"]+)"/);
    const value = tag.match(/ value="([^"]*)"/);
    if (!name || !value) continue;
    if (/type="(checkbox|radio)"/.test(tag) && !/ checked/.test(tag)) continue;
    fields[name[1]] = unescape(value[1]);
  }
  for (const m of editHtml.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]] = unescape(m[2]);
  fields.note = 'Worker tidy-up';
  const saved = await worker.post(new URL(mapUrl).pathname, { form: fields, maxRedirects: 0 });
  check(`${p}the worker's save is accepted`, saved.status() === 303, `status ${saved.status()}`);
  await worker.dispose();

  await navigating(tab, () => page.getByRole('button', { name: t('journeymaps.save_button') }).click());
  await audit(tab, 'journey map conflict', { status: 409 });
  await checkErrorSummary(tab, `${p}edit in two places`, ['stage_0_name']);
  check(`${p}the person's words are kept`, (await page.locator('#stage_0_doesnt').inputValue()) === words);
  await navigating(tab, () => page.getByRole('button', { name: t('journeymaps.save_button') }).click());
  check(`${p}saving again makes a new version`, (await page.locator('main').innerText()).includes(words));
  await audit(tab, 'journey map after the edit');
  await signOut(tab);
}

export const flows = [
  { label: 'labs: lab to attendance', js: true, run: labFlow },
  { label: 'labs: lab to attendance (no JS)', js: false, run: labFlow },
  { label: 'labs: idea to adopted action', js: true, run: ideaFlow },
  { label: 'labs: idea to adopted action (no JS)', js: false, run: ideaFlow },
  { label: 'labs: journey map co-edit', js: true, run: journeyMapFlow },
  { label: 'labs: journey map co-edit (no JS)', js: false, run: journeyMapFlow },
];
