// tests/web/run.mjs — the web interface in a real browser (make test-web).
//
// Builds a fresh demo store (tests/web/setup.sh: what make demo loads), starts
// the real `bin/ctwatch serve` on a free loopback port with web/dist, drives
// Debian's Chromium headless through playwright-core (never a downloaded
// browser), and saves screenshots of the main screens in docs/screenshots/.
// The flows that change the store (restrictions, risk rules, notices, users,
// hit decisions) and the keyboard-only and error flows are in flows_edit.mjs.
//
//   node tests/web/run.mjs [--only NAME] [--headed] [--keep]
//
// Environment: CTWATCH_BIN (default bin/ctwatch), CHROMIUM (default
// /usr/bin/chromium), WEB_DIST (default web/dist), SCREENSHOTS (default
// docs/screenshots; "none" to skip).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register as registerEditFlows, hitDecisions, shared } from './flows_edit.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const BIN = resolve(ROOT, process.env.CTWATCH_BIN || 'bin/ctwatch');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DIST = resolve(ROOT, process.env.WEB_DIST || 'web/dist');
const SHOTS = process.env.SCREENSHOTS === 'none' ? null : resolve(ROOT, process.env.SCREENSHOTS || 'docs/screenshots');
const T = 20000; // ms to wait for anything on a page (a loaded machine is slow)

const t0 = Date.now();
const log = (...a) => console.log(`[web ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

for (const [what, path] of [['ctwatch', BIN], ['chromium', CHROMIUM], ['the web bundle (make web)', join(DIST, 'index.html')]]) {
  if (!existsSync(path)) { console.error(`tests/web: ${what} not found at ${path}`); process.exit(2); }
}

// --- a fresh demo store and a real server ----------------------------------
const dir = mkdtempSync(join(tmpdir(), 'ctwatch-web-'));
const db = join(dir, 'ctwatch.db');
const env = { ...process.env, CTWATCH_BIN: BIN };
let server = null;
let browser = null;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function startServer() {
  return new Promise((resolveP, reject) => {
    server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', DIST, '--access-log', join(dir, 'access.log')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/\{"listening":"([^"]+)"\}/);
      if (m) resolveP(`http://${m[1]}`);
    });
    server.stderr.on('data', (d) => { err += d; });
    server.on('exit', (code) => reject(new Error(`ctwatch serve exited (${code}): ${err}`)));
  });
}

const setup = (async () => {
  const hidden = execFileSync('sh', [join(ROOT, 'tests/web/setup.sh'), db], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    .toString().trim().split('\n').pop();
  const creds = {};
  for (const line of readFileSync(join(dir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    const [user, agency, role, pw] = line.trim().split(/\s+/);
    if (pw) creds[user] = { agency, role, pw };
  }
  const base = await startServer();
  return { creds, base, hidden };
})();

const launched = chromium.launch({
  executablePath: CHROMIUM,
  headless: !args.includes('--headed'),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const [{ creds, base, hidden }, br] = await Promise.all([setup, launched]);
browser = br;
log(`server ${base}, ${Object.keys(creds).length} demo users, chromium ${browser.version()}`);
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

// --- helpers -----------------------------------------------------------------
const problems = [];
async function newPage(label) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(T);
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`${label}: CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`${label}: request off the server: ${r.url()}`); });
  return page;
}

// Sign in through the form (ui: true), or with a session from the API put
// where the interface keeps it (the form itself is the sign-in flow's test;
// every sign-in costs an Argon2id hash, which is slow on purpose).
const tokens = {};
async function apiToken(user) {
  if (!tokens[user]) {
    const r = await fetch(`${base}/api/v1/login`, { method: 'POST', body: JSON.stringify({ username: user, password: creds[user].pw }) });
    expect(r.ok, `API sign-in of ${user}: ${r.status}`);
    tokens[user] = await r.json();
  }
  return tokens[user];
}
async function signIn(page, user, { keyboard = false, ui = false } = {}) {
  if (!ui && !keyboard) {
    const t = await apiToken(user);
    await page.addInitScript((s) => sessionStorage.setItem('ctwatch.session', s),
      JSON.stringify({ token: t.token, user: t.user, agency: t.agency, role: t.role }));
    await page.goto(`${base}/`);
    await page.locator('.who', { hasText: user }).waitFor();
    return;
  }
  await page.goto(`${base}/`);
  await page.getByLabel('User name').waitFor();
  if (keyboard) {
    // keyboard alone: the user name field has the focus; Tab to the password, Enter to submit
    await page.keyboard.type(user);
    await page.keyboard.press('Tab');
    await page.keyboard.type(creds[user].pw);
    await page.keyboard.press('Enter');
  } else {
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill(creds[user].pw);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.locator('.who', { hasText: user }).waitFor();
}

// Signed-in pages kept for the next flow of the same user: a new browser
// context, a sign-in and the app's first load cost seconds on a loaded
// machine. A flow takes one with userPage(USER, LABEL, PATH) (at #/PATH, its
// screen drawn afresh) and gives it back with done(page); flows side by side
// get pages of their own.
const idle = new Map();
async function userPage(user, label, path) {
  let page = idle.get(user)?.pop();
  if (!page) {
    page = await newPage(label);
    page.ctwUser = user;
    await signIn(page, user);
  }
  const url = `${base}/#/${path}`;
  await page.evaluate(() => document.querySelector('#main h1')?.setAttribute('data-stale', ''));
  if (page.url() === url) await page.reload(); else await page.goto(url);
  await page.waitForFunction(() => { const h1 = document.querySelector('#main h1'); return h1 && !h1.hasAttribute('data-stale'); });
  return page;
}
function done(...pages) {
  for (const page of pages) {
    if (!idle.has(page.ctwUser)) idle.set(page.ctwUser, []);
    idle.get(page.ctwUser).push(page);
  }
}

async function shot(page, name) {
  if (!SHOTS) return;
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

function expect(cond, msg) { if (!cond) throw new Error(msg); }

// 200 % zoom: half the CSS width; nothing may make the page scroll sideways
// (wide tables scroll in their own box).
async function checkZoom(page, what) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 640, height: size.height });
  const fits = await page.waitForFunction(() => document.documentElement.scrollWidth - document.documentElement.clientWidth <= 1, null, { timeout: 3000 })
    .then(() => true, () => false);
  const over = fits ? 0 : await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize(size);
  expect(fits, `${what} at 200 % zoom scrolls sideways by ${over}px`);
}

// --- the flows ------------------------------------------------------------------
const flows = [];
const flow = (name, fn) => flows.push({ name, fn });

flow('serve', async () => {
  // the server's side of it: headers, the single-page fallback, refusals
  const r = await fetch(`${base}/`);
  expect(r.status === 200 && /text\/html/.test(r.headers.get('content-type')), `GET / ${r.status}`);
  const csp = r.headers.get('content-security-policy') || '';
  expect(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), `CSP: ${csp}`);
  expect(r.headers.get('x-content-type-options') === 'nosniff' && r.headers.get('referrer-policy') === 'no-referrer', 'security headers');
  const etag = r.headers.get('etag');
  expect((await fetch(`${base}/`, { headers: { 'If-None-Match': etag } })).status === 304, 'ETag revalidation');
  expect((await fetch(`${base}/search`)).status === 200, 'a screen path serves index.html');
  expect((await fetch(`${base}/assets/nope.js`)).status === 404, 'a missing asset is 404');
  expect((await fetch(`${base}/.env`)).status === 400, 'a hidden path is refused');
  expect((await fetch(`${base}/`, { method: 'POST' })).status === 405, 'POST / is 405');
  expect((await fetch(`${base}/api/v1/stats`)).status === 401, 'the API still wants a token');
});

flow('sign-in', async () => {
  const page = await newPage('sign-in');
  await page.goto(`${base}/`);
  await page.getByLabel('User name').waitFor();
  await shot(page, 'sign-in');
  // a wrong password: a clear error, still on the form
  await page.getByLabel('User name').fill('analyst.fra');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Sign-in failed').waitFor();
  // the skip link: first in the page, shown when focused, Enter moves to the content
  expect(await page.evaluate(() => document.querySelector('a[href]') === document.querySelector('a.skip')), 'the skip link comes first');
  await page.locator('a.skip').focus();
  expect(await page.locator('a.skip').isVisible(), 'the focused skip link is visible');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id) === 'main', 'the skip link moves the focus to the content');
  await page.getByLabel('User name').focus();
  await signIn(page, 'analyst.fra', { keyboard: true });
  await page.getByRole('heading', { name: 'Search' }).waitFor();
  await page.context().close();
});

flow('manifest', async () => {
  const page = await userPage('officer.fra', 'manifest', 'screen');
  await page.getByRole('link', { name: 'Manifests' }).click();
  await page.getByLabel('Manifest file (PAXLST, PNRGOV or JSON)').setInputFiles(join(ROOT, 'tests/web/data/paxlst_af1188.edi'));
  await page.getByRole('button', { name: 'Screen manifest' }).click();
  const flagged = page.locator('table.travellers tr.d-alert');
  await flagged.first().waitFor();
  expect(await flagged.count() === 1, 'one flagged traveller');
  expect(/ALFAWAZ/.test(await flagged.textContent()), 'the flagged traveller is al-Fawaz');
  expect(await page.locator('table.travellers tbody tr').count() === 3, 'three travellers');
  await page.getByText(/Screened 3 travellers/).waitFor();
  await shot(page, 'manifest');
  await checkZoom(page, 'the manifest results');
  done(page);
});

flow('search-profile', async () => {
  const page = await userPage('analyst.fra', 'search', 'search');
  await page.getByLabel(/Name, or document/).fill('Kalid al Fawaz'); // misspelled: Khalid al-Fawwaz, UN QDi.059
  await page.getByLabel(/Name, or document/).press('Enter');
  const first = page.locator('ol.hits li.hit').first();
  await first.waitFor();
  expect(/Fawwaz|FAWAZ/i.test(await first.textContent()), `first result: ${await first.textContent()}`);
  await first.getByText('Why this result').click();
  await shot(page, 'search');
  // a name in Arabic script: found, and shown right-to-left
  await page.getByLabel(/Name, or document/).fill('أسامة بن لادن');
  await page.getByLabel(/Name, or document/).press('Enter');
  await page.locator('ol.hits bdi[dir="rtl"]').first().waitFor();
  await shot(page, 'search-arabic');
  await page.goBack();
  await first.waitFor();
  // by keyboard: the result's link takes the focus, visibly, and Enter opens the profile
  await first.locator('.hit-name a').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.hit-name') !== null), 'Tab reaches the result link');
  expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none'), 'the focus is visible');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /AL-FAWAZ/ }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.tagName) === 'H1', 'the new screen\'s heading has the focus');
  // every name with its script and kind, Arabic right-to-left
  const arabic = page.locator('table bdi[dir="rtl"]', { hasText: 'خالد' });
  await arabic.waitFor();
  expect(await page.getByText('QDi.059').count() > 0, 'UN reference shown');
  // movements from the manifest above: a timeline and a links chart
  await page.locator('svg.timeline circle').first().waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await page.getByRole('heading', { name: 'Restriction and owner' }).waitFor();
  await page.waitForTimeout(300); // the chart's layout
  await shot(page, 'profile');
  // 200 % zoom: half the CSS width, nothing wider than the window
  await checkZoom(page, 'the profile');
  done(page);
});

flow('mrz', async () => {
  const page = await userPage('officer.fra', 'mrz', 'screen');
  await page.getByRole('heading', { name: 'Screen', level: 1 }).waitFor();
  await page.getByLabel('Machine readable zone').fill('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10');
  await page.getByRole('button', { name: 'Check MRZ' }).click();
  await page.locator('.b-stolen').first().waitFor();
  expect(await page.getByText('L898902C3').count() > 0, 'document number shown');
  await page.getByText('all valid').waitFor();
  await shot(page, 'screen');
  await checkZoom(page, 'the screening form');
  // the risk rules editor, in the same session: the demo's rule as JSON
  await page.getByRole('link', { name: 'Risk rules' }).click();
  await page.getByRole('link', { name: 'Short-notice one-way travel to Turkey' }).click();
  await page.getByLabel('Definition (JSON)').waitFor();
  expect(/hours_before_departure/.test(await page.getByLabel('Definition (JSON)').inputValue()), 'the rule definition is shown');
  await shot(page, 'rules');
  done(page);
});

flow('contact-owner', async () => {
  // KEN-NCB may not read FRA-NCB's hit-only record: a hit, and whom to contact, nothing else
  const page = await userPage('officer.ken', 'contact-owner', 'screen');
  await page.getByLabel('Name (any script)').fill(hidden);
  await page.getByRole('button', { name: 'Screen person' }).click();
  const hit = page.locator('li.hit.restricted').first();
  await hit.waitFor();
  const text = await hit.textContent();
  expect(/contact FRA-NCB/.test(text) && !text.includes(hidden.split(' ').pop()), `restricted hit shows: ${text}`);
  expect(await page.locator('li.hit:not(.restricted)').count() === 0, 'no readable hit');
  await shot(page, 'contact-owner');
  const id = await hit.getAttribute('data-record');
  await page.goto(`${base}/#/person/${id}`);
  await page.getByText('Contact owner: FRA-NCB').waitFor();
  expect(await page.getByText(hidden.split(' ').pop()).count() === 0, 'profile shows no name');
  done(page);
});

flow('hit-inbox', async () => {
  const [owner, checker] = await Promise.all([userPage('officer.fra', 'owner', 'inbox'), userPage('analyst.deu', 'checker', 'screen')]);
  await owner.getByRole('heading', { name: 'Hit inbox' }).waitFor();
  await owner.locator('.inbox-list').getByText(/No hit|Hit|checked by/).first().waitFor();
  // the hits already there (earlier flows raised some, DEU-NCB's among them)
  const known = await owner.locator('ul.hitrows li').evaluateAll((ls) => ls.map((l) => l.dataset.hit));
  // DEU-NCB checks FRA-NCB's stolen passport
  await checker.goto(`${base}/#/screen`);
  await checker.getByLabel('Issuing state').fill('UTO');
  await checker.getByLabel('Document number').fill('L898902C3');
  await checker.getByRole('button', { name: 'Check document' }).click();
  await checker.locator('.results .b-stolen, .results .b-hit').first().waitFor();
  // the owner's inbox shows it without a reload
  await owner.waitForFunction((k) => [...document.querySelectorAll('ul.hitrows li')].some((l) => !k.includes(l.dataset.hit)), known);
  const added = await owner.evaluate((k) => [...document.querySelectorAll('ul.hitrows li')].map((l) => l.dataset.hit).filter((x) => !k.includes(x)), known);
  expect(added.length === 1, `one new hit row: ${added}`);
  const hitId = added[0];
  const row = owner.locator(`ul.hitrows li[data-hit="${hitId}"]`);
  expect(/DEU-NCB/.test(await row.textContent()) && /L898902C3/.test(await row.textContent()), `the new row: ${await row.textContent()}`);
  await checker.goto(`${base}/#/inbox/${encodeURIComponent(hitId)}?side=checker`);
  await checker.locator('.hit-state[data-state="pending"]').waitFor();
  await row.locator('a').click();
  await owner.getByRole('button', { name: 'Confirm hit' }).click();
  await owner.locator('.hit-state[data-state="confirmed"]').waitFor();
  await owner.locator(`ul.hitrows li[data-hit="${hitId}"][data-state="confirmed"]`).waitFor();
  // the checking agency's view follows, again without a reload
  await checker.locator('.hit-state[data-state="confirmed"]').waitFor();
  await checker.locator(`ul.hitrows li[data-hit="${hitId}"][data-state="confirmed"]`).waitFor();
  // the message thread: the owner writes, the checker reads it as it comes
  await owner.getByLabel('Message to the other agency').fill('Confirmed: the passport was reported stolen in Paris. Please hold the document and call our desk.');
  await owner.getByRole('button', { name: 'Send message' }).click();
  await owner.locator('ol.thread li.mine').waitFor();
  await checker.locator('ol.thread li.theirs', { hasText: 'reported stolen in Paris' }).waitFor();
  await shot(owner, 'inbox');
  await shot(checker, 'inbox-checker');
  // close it; a second hit marked a false match by the keyboard alone; the checker's reply
  await hitDecisions({ owner, checker, hitId, base, expect, apiToken });
  done(owner, checker);
});

flow('audit', async () => {
  const page = await userPage('auditor.fra', 'audit', 'audit');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByLabel('Action').fill('search');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator('table tbody tr', { hasText: 'analyst.fra' }).first().waitFor();
  await shot(page, 'audit');
  await checkZoom(page, 'the audit log');
  // the audit trail of one record: who searched, read and screened it
  await page.locator('table tbody tr', { hasText: 'analyst.fra' }).first().locator('td.ids a').first().click();
  await page.getByRole('heading', { name: /Audit trail of record ctw-/ }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  // the entries of the flows before: the restriction change and the new rule
  if (only && !shared.restricted) return 'the restriction and rules-edit flows did not run';
  await page.goto(`${base}/#/audit?action=restriction-change&record=${shared.restricted}`);
  const change = page.locator('table tbody tr', { hasText: 'supervisor.fra' }).filter({ hasText: 'restriction-change' });
  await change.first().waitFor();
  expect((await change.first().textContent()).includes('all -> all-except:DEU-NCB'), `restriction entry: ${await change.first().textContent()}`);
  await shot(page, 'audit-restriction');
  // and the analyst's refused attempt (its entry names the request, not the record)
  await page.getByLabel('Record').fill('');
  await page.getByLabel('Action').fill('restriction-denied');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator('table tbody tr', { hasText: 'analyst.fra' }).filter({ hasText: 'restriction-denied' }).first().waitFor();
  await page.getByLabel('Action').fill('rule-change');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator('table tbody tr', { hasText: 'analyst.fra' }).filter({ hasText: shared.rule }).filter({ hasText: 'version 2' }).first().waitFor();
  done(page);
});

registerEditFlows({ flow, newPage, signIn, userPage, done, shot, expect, base, apiToken });

// --- run ----------------------------------------------------------------------------
// Two lanes side by side (the flows share nothing but the server; the
// search-profile flow reads the movements the manifest flow recorded), then
// the live hit flow, as its timing is the point, beside the audit flow, which
// looks for the entries of the flows before it.
const LANES = [['serve', 'sign-in', 'mrz', 'rules-edit', 'admin', 'errors'],
  ['manifest', 'search-profile', 'contact-owner', 'restriction', 'notices', 'keyboard-screen'], ['hit-inbox'], ['audit']];
let failed = 0;
async function runFlow(f) {
  const s = Date.now();
  try {
    const note = await f.fn();
    log(`${note ? 'SKIP' : 'ok  '} ${f.name} (${((Date.now() - s) / 1000).toFixed(1)} s)${note ? ' — ' + note : ''}`);
  } catch (e) {
    failed++;
    log(`FAIL ${f.name}: ${e.message.split('\n')[0]}`);
    if (process.env.WEB_DEBUG) console.error(e);
  }
}
const byName = Object.fromEntries(flows.map((f) => [f.name, f]));
for (const f of flows) if (!LANES.flat().includes(f.name)) throw new Error(`flow ${f.name} is in no lane`);
const wanted = (n) => !only || n === only;
const runLanes = (lanes) => Promise.all(lanes.map(async (lane) => { for (const n of lane) if (wanted(n)) await runFlow(byName[n]); }));
await runLanes(LANES.slice(0, 2));
await runLanes(LANES.slice(2));
for (const p of problems) { failed++; log(`FAIL ${p}`); }
await browser.close();
log(`${failed ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
