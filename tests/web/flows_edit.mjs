// tests/web/flows_edit.mjs — the browser flows that change the store (issue 6):
// restrictions, risk rules, notices through their life, users, hit decisions
// by keyboard, error and empty states. Registered by run.mjs, which owns the
// server, the browser and the helpers (passed in as `t`).
//
// Each flow works through the interface (clicks and typing), asserts what
// the page shows, and where the point is that the store changed, checks it
// through the API as well.

export const shared = {}; // what later flows need from earlier ones (record ids)

// Tab (or Shift+Tab) until the focused element passes `test` (run in the
// page, given document.activeElement); the keyboard alone, no clicks.
export async function tabTo(page, test, { back = false, max = 80, what = 'the element', arg } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(test, arg)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

// Wait for an API condition (the screening index follows a change within
// about a second): poll every 200 ms, up to `ms`.
async function until(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function register({ flow, newPage, signIn, userPage, done, shot, expect, base, apiToken }) {
  const api = async (user, method, path, body) => {
    const t = await apiToken(user);
    const r = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${t.token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const whoMaySee = (page) => page.locator('section.card dt', { hasText: 'Who may see it' }).locator('xpath=following-sibling::dd[1]');

  // 1. The owner's supervisor changes who sees a record; the excluded agency
  // then gets "contact owner" only; an analyst of the owner gets no editor
  // and the server refuses him anyway.
  flow('restriction', async () => {
    const [sup, deu, an] = await Promise.all([userPage('supervisor.fra', 'restriction', 'search'),
      userPage('officer.deu', 'restriction-deu', 'screen'), userPage('analyst.fra', 'restriction-analyst', 'search')]);
    await sup.getByLabel(/Name, or document/).fill('Marcel Ombrevaux');
    await sup.getByLabel(/Name, or document/).press('Enter');
    const hit = sup.locator('ol.hits li.hit', { hasText: /Ombrevaux/i }).first();
    await hit.waitFor();
    const id = await hit.getAttribute('data-record');
    shared.restricted = id;
    await hit.locator('.hit-name a').click();
    await sup.getByRole('heading', { level: 1, name: /Ombrevaux/i }).waitFor();
    await sup.getByRole('heading', { name: 'Change restriction' }).waitFor();
    expect((await whoMaySee(sup).textContent()).trim() === 'all', `restriction before: ${await whoMaySee(sup).textContent()}`);
    // a restriction the server refuses (a list is needed): its message, nothing changed
    await sup.getByLabel('Who may see it').selectOption('agencies');
    await sup.getByLabel('Agencies or regions').fill('');
    await sup.getByRole('button', { name: 'Save restriction' }).click();
    await sup.locator('form.restrict [role="alert"]', { hasText: /non-empty list/ }).waitFor();
    expect((await api('supervisor.fra', 'GET', `/api/v1/records/${id}`)).body.restriction?.kind !== 'agencies', 'a refused restriction changed nothing');
    // all agencies but DEU-NCB
    await sup.getByLabel('Who may see it').selectOption('all-except');
    await sup.getByLabel('Agencies or regions').fill('DEU-NCB');
    await sup.getByRole('button', { name: 'Save restriction' }).click();
    await sup.getByText('Saved: all-except DEU-NCB.').waitFor();
    await whoMaySee(sup).filter({ hasText: 'all-except: DEU-NCB' }).waitFor(); // the card follows the save
    await shot(sup, 'restriction');
    await sup.reload();
    await sup.getByRole('heading', { level: 1, name: /Ombrevaux/i }).waitFor();
    expect((await whoMaySee(sup).textContent()).trim() === 'all-except: DEU-NCB', `restriction after reload: ${await whoMaySee(sup).textContent()}`);
    const stored = (await api('supervisor.fra', 'GET', `/api/v1/records/${id}`)).body.restriction;
    expect(stored?.kind === 'all-except' && String(stored.list) === 'DEU-NCB', `stored restriction: ${JSON.stringify(stored)}`);
    done(sup);
    await Promise.all([excluded(), analyst()]);

    // DEU-NCB, now excluded: the hit and whom to contact, no name (once the index follows)
    async function excluded() {
      // (asked through search, which reads the same index but raises no hit in FRA-NCB's inbox)
      await until(async () => (await api('officer.deu', 'GET', '/api/v1/search?q=Marcel%20Ombrevaux')).body.records?.find((x) => x.record === id)?.restricted === true,
        'the screening index to apply the restriction');
      await deu.getByLabel('Name (any script)').fill('Marcel Ombrevaux');
      await deu.getByRole('button', { name: 'Screen person' }).click();
      const r = deu.locator(`li.hit.restricted[data-record="${id}"]`);
      await r.waitFor();
      expect(/contact FRA-NCB/.test(await r.textContent()) && !/Ombrevaux/i.test(await r.textContent()), `DEU-NCB sees: ${await r.textContent()}`);
      expect(await deu.locator('li.hit:not(.restricted)', { hasText: /Ombrevaux/i }).count() === 0, 'no readable hit for DEU-NCB');
      await deu.goto(`${base}/#/person/${id}`);
      await deu.getByText('Contact owner: FRA-NCB').waitFor();
      expect(await deu.getByText(/Ombrevaux/i).count() === 0, 'the profile shows DEU-NCB no name');
      done(deu);
    }

    // an analyst of the owner may read the record but not restrict it
    async function analyst() {
      await an.goto(`${base}/#/person/${id}`);
      await an.getByText('Only a supervisor of FRA-NCB may change who sees this record.').waitFor();
      expect(await an.getByRole('button', { name: 'Save restriction' }).count() === 0, 'no save for an analyst');
      const refused = await api('analyst.fra', 'PUT', `/api/v1/records/${id}/restriction`, { kind: 'all' });
      expect(refused.status === 403, `the server lets an analyst restrict: ${refused.status}`);
      expect((await api('supervisor.fra', 'GET', `/api/v1/records/${id}`)).body.restriction?.kind === 'all-except', 'the refusal changed nothing');
      done(an);
    }
  });

  // 2. Risk rules: a new rule, a new version of it, and a faulty one refused
  // with its JSON path, leaving the rule as it was.
  flow('rules-edit', async () => {
    const page = await userPage('analyst.fra', 'rules-edit', 'search');
    await page.getByRole('link', { name: 'Risk rules' }).click();
    await page.getByRole('link', { name: 'Write a new rule' }).click();
    const def = page.getByLabel('Definition (JSON)');
    await def.waitFor();
    const rule = {
      name: 'One-way to Syria at short notice (web test)', severity: 'high', description: 'Made by the browser test.',
      when: { all: [{ field: 'route.destination_country', op: 'in', value: ['SYR'] }, { field: 'booking.one_way', op: 'eq', value: true }] },
    };
    await def.fill(JSON.stringify(rule, null, 2));
    await page.getByRole('button', { name: 'Create rule' }).click();
    const heading = page.getByRole('heading', { name: /^Edit rule-\d+$/ });
    await heading.waitFor();
    const id = (await heading.textContent()).replace('Edit ', '');
    shared.rule = id;
    const row = page.locator('table tbody tr', { hasText: rule.name });
    await row.locator('td').nth(2).filter({ hasText: /^1$/ }).waitFor();
    // a new version: the list shows version 2
    rule.severity = 'medium';
    await def.fill(JSON.stringify(rule, null, 2));
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.locator('form p.state.ok', { hasText: 'Saved as version 2.' }).waitFor();
    await row.locator('td').nth(2).filter({ hasText: /^2$/ }).waitFor();
    expect((await row.locator('td').nth(1).textContent()) === 'medium', 'the list shows the new severity');
    // faulty rules: the server's message with the JSON path, nothing stored
    const rulesBefore = (await api('analyst.fra', 'GET', '/api/v1/rules')).body.rules.length;
    await def.fill(JSON.stringify({ ...rule, when: { all: [{ field: 'route.nowhere', op: 'in', value: ['SYR'] }] } }, null, 2));
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.locator('form [role="alert"]', { hasText: 'when.all[0].field: unknown field "route.nowhere"' }).filter({ hasText: 'Not accepted' }).waitFor();
    await def.fill(JSON.stringify({ ...rule, when: { all: [rule.when.all[0], { field: 'booking.one_way', op: 'like', value: true }] } }, null, 2));
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.locator('form [role="alert"]', { hasText: 'when.all[1].op: unknown operator "like"' }).waitFor();
    await shot(page, 'rules-error');
    await def.fill('{"name": "half a rule", ');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.locator('form [role="alert"]', { hasText: 'Not JSON' }).waitFor();
    const now = (await api('analyst.fra', 'GET', `/api/v1/rules/${id}`)).body;
    expect(now.version === 2 && now.definition.severity === 'medium' && now.definition.when.all[0].field === 'route.destination_country',
      `a refused rule changed the store: ${JSON.stringify(now)}`);
    expect((await api('analyst.fra', 'GET', '/api/v1/rules')).body.rules.length === rulesBefore, 'a refused rule added one');
    await page.reload();
    await row.locator('td').nth(2).filter({ hasText: /^2$/ }).waitFor();
    done(page);
  });

  // 4. A notice's whole life: an officer drafts and submits it, a supervisor
  // publishes and cancels it; each step's state on the page and in the store.
  flow('notices', async () => {
    const [off, sup] = await Promise.all([userPage('officer.fra', 'notices-officer', 'notices?kind=national'), userPage('supervisor.fra', 'notices-supervisor', 'search')]);
    const own = off.locator('table tbody tr', { hasText: 'FRA-NCB' }).first();
    await own.waitFor();
    const record = (await own.locator('td a').first().textContent()).trim();
    await off.getByLabel('Record id').fill(record);
    await off.getByLabel('Kind', { exact: true }).last().selectOption('red');
    await off.getByLabel('Requested action').selectOption('arrest');
    await off.getByLabel('Summary').fill('Wanted for financing a terrorist network (demo).');
    await off.getByRole('button', { name: 'Create draft' }).click();
    const created = await off.getByText(/Draft N-\d+ created/).textContent();
    const nid = created.match(/N-\d+/)[0];
    await off.goto(`${base}/#/notices?kind=red`);
    const state = (page) => page.locator(`tr[data-notice="${nid}"] td`).nth(1);
    const row = (page) => page.locator(`tr[data-notice="${nid}"]`);
    await state(off).filter({ hasText: /^draft$/ }).waitFor();
    await row(off).getByRole('button', { name: 'Submit for review' }).click();
    await state(off).filter({ hasText: /^review$/ }).waitFor();
    expect(await row(off).getByRole('button', { name: 'Publish' }).count() === 0, 'an officer is offered Publish');
    const stateOf = async () => (await api('supervisor.fra', 'GET', `/api/v1/notices/${nid}`)).body.state;
    expect(await stateOf() === 'review', 'the store has the notice in review');
    await sup.goto(`${base}/#/notices?kind=red`);
    await state(sup).filter({ hasText: /^review$/ }).waitFor();
    await row(sup).getByRole('button', { name: 'Publish' }).click();
    await state(sup).filter({ hasText: /^published$/ }).waitFor();
    expect(await stateOf() === 'published', 'the store has the notice published');
    await shot(sup, 'notices');
    sup.once('dialog', (d) => d.accept('Arrested in Lyon (demo).'));
    await row(sup).getByRole('button', { name: 'Cancel' }).click();
    await state(sup).filter({ hasText: /^cancelled$/ }).waitFor();
    const n = (await api('supervisor.fra', 'GET', `/api/v1/notices/${nid}`)).body;
    expect(n.state === 'cancelled' && n.cancel_reason === 'Arrested in Lyon (demo).' && n.cancelled_by === 'supervisor.fra', `the cancelled notice: ${JSON.stringify(n)}`);
    await off.reload();
    await state(off).filter({ hasText: /^cancelled$/ }).waitFor();
    expect(await row(off).getByRole('button').count() === 0, 'a cancelled notice offers no step');
    done(off, sup);
  });

  // 5. An agency administrator adds a user to its own agency; it may not
  // offer the auditor or system-administrator roles.
  flow('admin', async () => {
    const page = await userPage('admin.fra', 'admin', 'admin');
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.locator('table tbody tr', { hasText: 'officer.fra' }).waitFor();
    await page.locator('table tbody tr', { hasText: 'Interpol NCB Paris' }).waitFor();
    const offered = await page.getByLabel('Role', { exact: true }).locator('option').allTextContents();
    expect(offered.join() === 'officer,analyst,supervisor,agency-admin', `roles offered to an agency admin: ${offered}`);
    expect(await page.locator('option[value="auditor"], option[value="system-admin"]').count() === 0, 'an agency admin is offered auditor or system-admin somewhere');
    expect(await page.getByLabel('Agency', { exact: true }).inputValue() === 'FRA-NCB' && await page.getByLabel('Agency', { exact: true }).getAttribute('readonly') !== null,
      'the new user\'s agency is the admin\'s own, fixed');
    await page.getByLabel('User name').fill('analyst2.fra');
    await page.getByLabel('Role', { exact: true }).selectOption('analyst');
    await page.getByLabel('Initial password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('User added.').waitFor();
    const row = page.locator('table tbody tr', { hasText: 'analyst2.fra' });
    await row.waitFor();
    expect(await row.getByLabel('Role of analyst2.fra').inputValue() === 'analyst', 'the new user\'s role in the list');
    const users = (await api('admin.fra', 'GET', '/api/v1/users')).body.users;
    const u = users.find((x) => (x.username || x.user) === 'analyst2.fra');
    expect(u && u.agency === 'FRA-NCB' && u.role === 'analyst', `the stored user: ${JSON.stringify(u)}`);
    // (two password hashes: side by side)
    const [login, refused] = await Promise.all([
      fetch(`${base}/api/v1/login`, { method: 'POST', body: JSON.stringify({ username: 'analyst2.fra', password: 'correct horse battery staple' }) }),
      api('admin.fra', 'POST', '/api/v1/users', { username: 'auditor2.fra', agency: 'FRA-NCB', role: 'auditor', password: 'correct horse battery staple' })]);
    expect(login.ok, `the new user cannot sign in: ${login.status}`);
    expect(refused.status === 403, `the server lets an agency admin make an auditor: ${refused.status}`);
    await shot(page, 'admin');
    done(page);
  });

  // 6. The keyboard alone: the screening form, its result, the profile.
  flow('keyboard-screen', async () => {
    const page = await newPage('keyboard-screen');
    await signIn(page, 'officer.usa');
    await page.getByRole('heading', { name: 'Screen', level: 1 }).waitFor();
    await tabTo(page, () => document.activeElement?.name === 'name' && !!document.activeElement.closest('form'), { what: 'the name field' });
    await page.keyboard.type('Anouk Belcastel');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1990-07'); // the birth date field comes next
    await page.keyboard.press('Enter');
    const hit = page.locator('.results li.hit', { hasText: /Belcastel/i }).first();
    await hit.waitFor();
    await tabTo(page, () => !!document.activeElement?.closest('.results li.hit .hit-name'), { what: 'the result link' });
    expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none'), 'the focus is visible');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Belcastel/i }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName) === 'H1', 'the profile\'s heading has the focus');
    // Space opens a "Why" disclosure nowhere here; Space on a button does: the sign-out button
    await tabTo(page, () => document.activeElement?.textContent === 'Sign out', { back: true, what: 'Sign out' });
    await page.keyboard.press('Space');
    await page.getByLabel('User name').waitFor();
    await page.context().close();
  });

  // 7. Empty and error states: a search without result, a malformed MRZ
  // (read in the page), an MRZ and a birth date the server refuses.
  flow('errors', async () => {
    const page = await userPage('officer.fra', 'errors', 'screen');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel(/Name, or document/).fill('Zyxwvut Qqqrrrsss');
    await page.getByLabel(/Name, or document/).press('Enter');
    await page.getByText(/^0 records, 0 documents, 0 notices for/).waitFor();
    await page.locator('p.state.empty', { hasText: 'No match.' }).waitFor();
    await shot(page, 'search-empty');
    await page.getByRole('link', { name: 'Screen', exact: true }).click();
    await page.getByLabel('Name (any script)').fill('Zyxwvut Qqqrrrsss');
    await page.getByRole('button', { name: 'Screen person' }).click();
    await page.getByText('No hit: nothing on the watchlists matches.').waitFor();
    await page.getByLabel('Birth date').fill('31-31-1999');
    await page.getByRole('button', { name: 'Screen person' }).click();
    const personErr = page.locator('section.card', { hasText: 'Screen person' }).getByRole('alert');
    await personErr.filter({ hasText: /Not accepted.*dob: birth date '31-31-1999' is not a date.*\(HTTP 400\)/ }).waitFor();
    const mrz = page.getByLabel('Machine readable zone');
    await mrz.fill('P<UTOERIKSSON<<ANNA');
    await page.getByRole('button', { name: 'Check MRZ' }).click();
    const mrzErr = page.locator('section.card', { hasText: 'Check MRZ' }).getByRole('alert');
    await mrzErr.filter({ hasText: 'Not a machine readable zone' }).waitFor();
    // the right shape, an issuing state that is none: the server's refusal
    await mrz.fill('P<Q1<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10');
    await page.getByRole('button', { name: 'Check MRZ' }).click();
    await mrzErr.filter({ hasText: /Not accepted.*state: "Q1" is not a country or ICAO code \(HTTP 400\)/ }).waitFor();
    await shot(page, 'screen-errors');
    done(page);
  });
}

// 3. Hit decisions beyond "confirm" (run inside the hit-inbox flow, which has
// both sides open): close the confirmed hit, then a second hit marked a false
// match by the keyboard alone, and the checker's reply; each side follows live.
export async function hitDecisions({ owner, checker, hitId, base, expect, apiToken }) {
  await owner.getByRole('button', { name: 'Close hit' }).click();
  await owner.locator('.hit-state[data-state="closed"]').waitFor();
  await checker.locator('.hit-state[data-state="closed"]').waitFor();
  await checker.locator(`ul.hitrows li[data-hit="${hitId}"][data-state="closed"]`).waitFor();
  expect(await owner.getByRole('button', { name: /Confirm hit|False match|Close hit/ }).count() === 0, 'a closed hit offers a decision');

  // the checker screens a person FRA-NCB shares with DEU-NCB: a second hit
  await checker.goto(`${base}/#/screen`);
  await checker.getByLabel('Name (any script)').fill('Anouk Belcastel');
  await checker.getByRole('button', { name: 'Screen person' }).click();
  await checker.locator('.results li.hit', { hasText: /Belcastel/i }).first().waitFor();
  const row = owner.locator('ul.hitrows li[data-state="pending"]', { hasText: 'analyst.deu' }).filter({ hasText: /Belcastel/i }).first();
  await row.waitFor();
  const id2 = await row.getAttribute('data-hit');
  await checker.goto(`${base}/#/inbox/${encodeURIComponent(id2)}?side=checker`);
  await checker.locator('.hit-state[data-state="pending"]').waitFor();
  // the owner, keyboard only: to the row, Enter; a note; Space on "False match"
  await owner.locator('h1').focus();
  await tabTo(owner, (x) => document.activeElement?.closest('li')?.dataset.hit === x, { arg: id2, what: 'the new hit row' });
  await owner.keyboard.press('Enter');
  await owner.locator('.inbox-detail .hit-state[data-state="pending"]').waitFor();
  await tabTo(owner, () => document.activeElement?.name === 'note', { what: 'the note field' });
  await owner.keyboard.type('Born 1985, ours 1990: not the same person.');
  await tabTo(owner, () => document.activeElement?.textContent === 'False match', { what: 'False match' });
  await owner.keyboard.press('Space');
  await owner.locator('.hit-state[data-state="false-match"]').waitFor();
  await owner.locator(`ul.hitrows li[data-hit="${id2}"][data-state="false-match"]`).waitFor();
  await checker.locator('.hit-state[data-state="false-match"]').waitFor();
  // the checker answers in the thread; the owner reads it as it comes
  await checker.getByLabel('Message to the other agency').fill('Noted, thank you: traveller released.');
  await checker.getByRole('button', { name: 'Send message' }).click();
  await checker.locator('ol.thread li.mine', { hasText: 'traveller released' }).waitFor();
  await owner.locator('ol.thread li.theirs', { hasText: 'traveller released' }).waitFor();
  // the store: the decision with its note, and the message
  const t = await apiToken('officer.fra');
  const x = await (await fetch(`${base}/api/v1/hits/${id2}`, { headers: { Authorization: `Bearer ${t.token}` } })).json();
  expect(x.state === 'false-match' && x.events.some((e) => e.event === 'false-match' && /not the same person/.test(e.note || '')),
    `the stored hit: ${JSON.stringify(x.events)}`);
  expect(x.messages.some((m) => m.agency === 'DEU-NCB' && /traveller released/.test(m.text)), 'the stored message');
}
