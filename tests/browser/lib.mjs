// What every browser flow shares: the command line, the catalogues, the checks and their tally,
// opening chromium, and the audit every page a flow lands on goes through (HTTP status, lang,
// one h1, axe-core at 1280 and 320 px, nothing wider than a 320 px screen, no console errors,
// screenshots at both widths). Flow files import what they need from here.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const [base, shotDir] = process.argv.slice(2);
if (!base || !shotDir) {
  console.error('usage: node e2e.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const axeSource = fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 320, height: 640 };
fs.mkdirSync(shotDir, { recursive: true });

// The page text comes from the catalogues, so a change of wording does not break these tests.
export const messages = { en: {}, cy: {} };
for (const mod of fs.readdirSync(path.join(root, 'src', 'modules'))) {
  for (const lang of Object.keys(messages)) {
    const file = path.join(root, 'src', 'modules', mod, 'messages', `${lang}.json`);
    if (!fs.existsSync(file)) continue;
    for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) messages[lang][`${mod}.${k}`] = v;
  }
}
export function t(key, lang = 'en') {
  if (!(key in messages[lang])) throw new Error(`no message ${key} in the ${lang} catalogues`);
  return messages[lang][key];
}

export const ACCOUNTS = {
  admin: { email: 'admin@demo.example', password: 'kingdom-shore-keys-91' },
  person: { email: 'person@demo.example', password: 'bright-harbour-42' },
  worker: { email: 'worker@demo.example', password: 'steady-lantern-17' },
  manager: { email: 'manager@demo.example', password: 'quiet-meadow-58' },
  commissioner: { email: 'commissioner@demo.example', password: 'silver-ledger-33' },
  councillor: { email: 'councillor@demo.example', password: 'open-chamber-26' },
};

// ------------------------------------------------------------------ reporting

let passed = 0;
let failed = 0;
export function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `\n       ${detail.replace(/\n/g, '\n       ')}` : ''}`);
  }
  return ok;
}

// ------------------------------------------------------------------ browser

export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

export async function openBrowser(label, javaScriptEnabled) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `coproduce-chromium-${label}-`));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: LAUNCH_ARGS,
    viewport: WIDE,
    javaScriptEnabled,
  });
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] || (await context.newPage());
  const tab = { label, js: javaScriptEnabled, page, context, dir, errors: [], status: 0, docUrls: new Set() };
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
      tab.status = r.status();
      tab.docUrls.add(r.url());
    } else if (r.status() >= 400) {
      tab.errors.push(`${r.status()} for ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => tab.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('pageerror', (e) => tab.errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs a document's own 4xx status as a console error. Error pages are meant to
    // have those statuses, and audit() checks the status itself, so only that one is let through.
    const own = /^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) &&
      tab.docUrls.has(m.location().url);
    if (!own) tab.errors.push(`console: ${m.text()}`);
  });
  return tab;
}

export async function closeBrowser(tab) {
  await tab.context.close().catch(() => {});
  fs.rmSync(tab.dir, { recursive: true, force: true });
}

// Runs fn, which is expected to end in a navigation of the main frame, and waits for the new page.
export async function navigating(tab, fn) {
  const committed = tab.page.waitForEvent('framenavigated', (f) => f === tab.page.mainFrame());
  // If fn throws, nobody awaits `committed`; its later timeout must not end the whole run.
  committed.catch(() => {});
  await fn();
  await committed;
  await tab.page.waitForLoadState('load');
}

export async function go(tab, url) {
  await tab.page.goto(new URL(url, base).href);
}

// ------------------------------------------------------------------ audit of one page

let shotNumber = 0;
export function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export const spent = { axe: 0, screenshots: 0 };
export async function timed(kind, promise) {
  const t0 = Date.now();
  try { return await promise; } finally { spent[kind] += Date.now() - t0; }
}

export async function runAxe(tab) {
  // page.addScriptTag() injects an inline <script>, which the pages' Content-Security-Policy
  // (script-src 'self') rightly blocks. page.evaluate() goes through the DevTools protocol, which
  // the policy does not govern, so axe gets in without bypassCSP and the policy stays in force:
  // anything the app itself does against it still shows up as a console error.
  if (!tab.js) {
    // With JavaScript off, timers never fire (axe waits on setTimeout) and queueMicrotask kills
    // the renderer, but promise jobs still run, so axe's deferrals are moved onto those.
    await tab.page.evaluate(() => {
      window.setTimeout = (fn, _ms, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
      window.clearTimeout = () => {};
    });
  }
  await tab.page.evaluate(axeSource);
  return tab.page.evaluate((tags) => axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), AXE_TAGS);
}

export function describeViolations(violations) {
  return violations.map((v) => {
    const targets = v.nodes.slice(0, 5).map((n) => `         at ${n.target.join(' ')}`).join('\n');
    const more = v.nodes.length > 5 ? `\n         ... and ${v.nodes.length - 5} more` : '';
    return `${v.id} (${v.impact}): ${v.help}\n${targets}${more}\n         ${v.helpUrl}`;
  }).join('\n');
}

// What sticks out past the sides of the screen, or is cut off inside a box that hides overflow.
export function overflowProblems() {
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
    [...el.classList].slice(0, 2).map((c) => `.${c}`).join('');
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    // Hidden text for screen readers is 1px and clipped on purpose.
    if (el.closest('.govuk-visually-hidden, .govuk-skip-link, [hidden], script, style')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (r.left < -1 || r.right > vw + 1) {
      problems.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    } else if (!['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) {
      const ox = getComputedStyle(el).overflowX;
      if ((ox === 'hidden' || ox === 'clip') && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} cuts off content (${el.scrollWidth} px in ${el.clientWidth} px)`);
      }
    }
    if (problems.length >= 8) break;
  }
  // A long word can stick out of a box that itself fits, so the text is measured too.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node && problems.length < 8; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent ||
        parent.closest('.govuk-visually-hidden, .govuk-skip-link, [hidden], script, style, option')) continue;
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width > 0 && (r.left < -1 || r.right > vw + 1)) {
      problems.push(`text "${node.textContent.trim().slice(0, 40)}" in ${name(parent)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, problems };
}

export async function audit(tab, pageName, { status = 200 } = {}) {
  const page = tab.page;
  const name = `${tab.js ? '' : '[no JS] '}${pageName}`;
  await page.waitForLoadState('load');
  check(`${name}: HTTP status ${status}`, tab.status === status, `got ${tab.status} at ${page.url()}`);
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang') || '',
    title: document.title.trim(),
    h1: document.querySelectorAll('h1').length,
  }));
  check(`${name}: lang attribute and a title`, facts.lang.length >= 2 && facts.title.length > 0,
    `lang="${facts.lang}" title="${facts.title}"`);
  check(`${name}: exactly one h1`, facts.h1 === 1, `${facts.h1} h1 elements`);

  const wide = await timed('axe', runAxe(tab));
  check(`${name}: axe, no violations at ${WIDE.width} px`, wide.violations.length === 0,
    describeViolations(wide.violations));
  const number = String(++shotNumber).padStart(2, '0');
  const file = `${number}-${tab.js ? '' : 'nojs-'}${slug(pageName)}`;
  await timed('screenshots', page.screenshot({ path: path.join(shotDir, `${file}-${WIDE.width}.png`), fullPage: true }));

  await page.setViewportSize(NARROW);
  try {
    const fit = await page.evaluate(overflowProblems);
    check(`${name}: fits ${NARROW.width} px with no sideways scrolling`,
      fit.scrollWidth <= NARROW.width && fit.problems.length === 0,
      `scrollWidth ${fit.scrollWidth}${fit.problems.length ? '\n' + fit.problems.join('\n') : ''}`);
    const narrow = await timed('axe', runAxe(tab));
    check(`${name}: axe, no violations at ${NARROW.width} px`, narrow.violations.length === 0,
      describeViolations(narrow.violations));
    await timed('screenshots', page.screenshot({ path: path.join(shotDir, `${file}-${NARROW.width}.png`), fullPage: true }));
  } finally {
    await page.setViewportSize(WIDE);
  }
  check(`${name}: no console or loading errors`, tab.errors.length === 0, tab.errors.join('\n'));
  tab.errors.length = 0;
}

// ------------------------------------------------------------------ steps shared by the flows

export async function heading(tab) {
  return (await tab.page.locator('h1').first().innerText()).trim();
}

export async function signIn(tab, who) {
  await go(tab, '/sign-in');
  await tab.page.locator('#email').fill(ACCOUNTS[who].email);
  await tab.page.locator('#password').fill(ACCOUNTS[who].password);
  await navigating(tab, () => tab.page.locator('main form').getByRole('button', { name: t('accounts.sign_in_button') }).click());
  const signedIn = await tab.page.locator('header').getByRole('button', { name: t('site.sign_out') }).count();
  check(`${tab.js ? '' : '[no JS] '}sign in as ${who}`, signedIn === 1, `still signed out at ${tab.page.url()}`);
}

export async function signOut(tab) {
  await navigating(tab, () => tab.page.locator('header').getByRole('button', { name: t('site.sign_out') }).click());
}

// The GOV.UK error summary: shown, says what is wrong, and each message links to its field,
// which points back at its own message for screen readers.
export async function checkErrorSummary(tab, name, wantFields) {
  const page = tab.page;
  const summary = page.locator('.govuk-error-summary');
  if (!check(`${name}: error summary shown`, await summary.isVisible())) return;
  const info = await page.evaluate(() => {
    const links = [...document.querySelectorAll('.govuk-error-summary__list a')];
    return links.map((a) => {
      const id = decodeURIComponent(a.getAttribute('href').replace(/^#/, ''));
      const field = document.getElementById(id);
      const described = (field?.getAttribute('aria-describedby') || '').split(/\s+/)
        .map((d) => document.getElementById(d)).filter(Boolean);
      return {
        id,
        text: a.textContent.trim(),
        exists: !!field && ['INPUT', 'SELECT', 'TEXTAREA'].includes(field.tagName),
        describedByError: described.some((d) => d.classList.contains('govuk-error-message') &&
          d.textContent.includes(a.textContent.trim())),
      };
    });
  });
  const ids = info.map((i) => i.id);
  check(`${name}: error summary lists ${wantFields.join(', ')}`,
    wantFields.every((f) => ids.includes(f)), `links to ${ids.join(', ') || 'nothing'}`);
  const broken = info.filter((i) => !i.exists).map((i) => i.id);
  check(`${name}: every error links to a form field`, info.length > 0 && broken.length === 0,
    `no field for ${broken.join(', ')}`);
  const loose = info.filter((i) => i.exists && !i.describedByError).map((i) => i.id);
  check(`${name}: every field with an error is described by its message`, loose.length === 0,
    `aria-describedby misses the error message on ${loose.join(', ')}`);

  const first = info[0]?.id;
  if (tab.js) {
    // GOV.UK Frontend moves focus to the summary on load, and a click on a link to the field.
    const focused = await page.evaluate(() => !!document.activeElement?.closest('.govuk-error-summary'));
    check(`${name}: error summary has focus`, focused);
    await summary.locator('a').first().click();
    const now = await page.evaluate(() => document.activeElement?.id || '');
    check(`${name}: first error link moves focus to its field`, now === first, `focus is on "${now}", want "${first}"`);
  } else {
    // Without JavaScript the link is a plain in-page link: it must jump to the field.
    await summary.locator('a').first().click();
    await page.waitForFunction((id) => location.hash === `#${id}`, first).catch(() => {});
    const shown = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return location.hash === `#${id}` && r.top >= 0 && r.bottom <= innerHeight;
    }, first);
    check(`${name}: first error link jumps to its field`, shown, `hash is ${new URL(page.url()).hash}`);
  }
}


export async function flow(label, javaScriptEnabled, fn) {
  let tab;
  try {
    tab = await openBrowser(label, javaScriptEnabled);
    await fn(tab);
    check(`${label}: flow completed`, true);
  } catch (e) {
    check(`${label}: flow completed`, false, `${e.message.split('\n')[0]}${tab ? ` (at ${tab.page.url()})` : ''}`);
  } finally {
    if (tab) await closeBrowser(tab);
  }
}

export function tally() {
  return { passed, failed };
}
