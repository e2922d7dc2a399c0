// The admin's directory import and export: open the page, try to start with no file (error
// summary), upload a small feed written to a temporary folder, follow the import's page until it is
// done, download the JSON backup and find the new services in it; then a feed with a mistake shows
// where the mistake is and that nothing was imported. Runs with JavaScript on and off (the progress
// page refreshes itself without JavaScript). Every page on the way is audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { audit, base, check, checkErrorSummary, go, heading, navigating, signIn, t } from '../lib.mjs';

function uuid(n, run) {
  // A fresh id per run (the demo database lives as long as the whole browser test run).
  return `${run.slice(-8).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

async function upload(tab, file) {
  const page = tab.page;
  await page.locator('#files').setInputFiles(file);
  await navigating(tab, () => page.getByRole('button', { name: t('directory.admin_start_import') }).click());
}

// Loads the import's page again (as its Refresh header would) until it no longer shows progress.
async function untilFinished(tab, name) {
  const page = tab.page;
  const where = page.url();
  let sawRunning = false;
  for (let i = 0; i < 40; i++) {
    if ((await page.locator('progress').count()) === 0) break;
    if (!sawRunning) {
      sawRunning = true;
      const text = (await page.locator('#progress-text').innerText()).trim();
      check(`${name}: progress has a text equivalent`, /^Imported [\d,]+ of [\d,]+ services$/.test(text), text);
      await audit(tab, 'import in progress');
    }
    await new Promise((r) => setTimeout(r, 500));
    await go(tab, where);
  }
  check(`${name}: the import finished`, (await page.locator('progress').count()) === 0, page.url());
}

async function importAndExport(tab) {
  const page = tab.page;
  const prefix = tab.js ? '' : '[no JS] ';
  const run = Date.now().toString(16);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coproduce-dirio-flow-'));
  try {
    await signIn(tab, 'admin');
    await go(tab, '/admin/directory');
    check(`${prefix}the admin page opens`, (await heading(tab)) === t('directory.admin_heading'), await heading(tab));
    await audit(tab, 'directory import and export');

    await navigating(tab, () => page.getByRole('button', { name: t('directory.admin_start_import') }).click());
    await audit(tab, 'directory import with no file', { status: 400 });
    await checkErrorSummary(tab, `${prefix}import with no file`, ['files']);

    const services = [];
    for (let i = 1; i <= 120; i++) {
      services.push({ id: uuid(i, run), name: `Flow club ${run} number ${i}`, status: 'active',
        description: 'A friendly group, added by the browser test.',
        schedules: [{ id: uuid(1000 + i, run), freq: 'WEEKLY', byday: 'WE', opens_at: '10:00', closes_at: '12:00' }] });
    }
    const good = path.join(dir, 'feed.json');
    fs.writeFileSync(good, JSON.stringify({ services }));
    await upload(tab, good);
    check(`${prefix}starting goes to the import's page`, /\/admin\/directory\/imports\/\d+$/.test(new URL(page.url()).pathname), page.url());
    await untilFinished(tab, `${prefix}good feed`);
    check(`${prefix}the import says it is complete`, (await heading(tab)) === t('directory.admin_import_done_title'), await heading(tab));
    const summary = (await page.locator('#import-summary').innerText()).trim();
    check(`${prefix}the import says how many services`, summary.startsWith('Imported 120 services'), summary);
    await audit(tab, 'import complete');

    // The backup download, with the session's cookies.
    const res = await tab.context.request.get(new URL('/admin/directory/export.json', base).href);
    check(`${prefix}the JSON export downloads`, res.status() === 200 &&
      (res.headers()['content-disposition'] || '').startsWith('attachment'), `${res.status()}`);
    const feed = await res.json();
    const ids = new Set(feed.services.map((s) => s.id));
    check(`${prefix}the export holds the imported services`, services.every((s) => ids.has(s.id)), `${feed.services.length} services`);
    const zip = await tab.context.request.get(new URL('/admin/directory/export.zip', base).href);
    check(`${prefix}the CSV export downloads as a zip`, zip.status() === 200 && (await zip.body()).subarray(0, 2).toString() === 'PK');

    // A mistake on the second service: nothing is imported, and the page says where.
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([
      { id: uuid(5001, run), name: `Flow never ${run}`, status: 'active' },
      { id: uuid(5002, run), name: 'Flow broken', status: 'open' },
    ]));
    await go(tab, '/admin/directory');
    await upload(tab, bad);
    await untilFinished(tab, `${prefix}bad feed`);
    check(`${prefix}the import says it did not work`, (await heading(tab)) === t('directory.admin_import_failed_title'), await heading(tab));
    const problem = (await page.locator('.govuk-error-summary').innerText()).trim();
    check(`${prefix}the error summary says where the problem is`, problem.includes('services[1].status'), problem);
    check(`${prefix}the page says nothing was imported`, (await page.getByText(t('directory.import_failed')).count()) > 0);
    if (tab.js) {
      const focused = await page.evaluate(() => !!document.activeElement?.closest('.govuk-error-summary'));
      check('the error summary has focus', focused);
    }
    await audit(tab, 'import that did not work');
    const after = await (await tab.context.request.get(new URL('/admin/directory/export.json', base).href)).json();
    check(`${prefix}nothing from the bad feed was kept`, !after.services.some((s) => s.id === uuid(5001, run)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const flows = [
  { label: 'admin imports a feed and downloads the backup', js: true, run: importAndExport },
  { label: 'admin imports a feed and downloads the backup', js: false, run: importAndExport },
];
