// Person (or organisation) profile: names with script and kind, dates,
// nationalities, documents, notices, movements as a timeline and links
// as a chart, restriction and owner (with the editor for the owner's
// supervisor), and the audit trail of the record for system administrators
// (auditors, who read no records, see it in the audit screen by record).
import { get, put, q } from '../api.js';
import { h, clear, name, loading, empty, errorBox, badge, table, kv, field, fmtTime, announce, flightName, focusHeading } from '../ui.js';
import { timeline } from '../timeline.js';

export function personScreen(main, { me, parts }) {
  const id = parts[0];
  const body = h('div', h('h1.sr-only', 'Record'), loading('Loading the record'));
  main.append(body);
  load(id, me, body);
}

async function load(id, me, out) {
  let rec;
  try {
    rec = await get(`/api/v1/records/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status === 403) {
      const owner = err.body?.owner || 'the owning agency';
      clear(out, h('h1', 'Restricted record'),
        h('div.state.restricted', { role: 'status' },
          h('p.contact', `Contact owner: ${owner}`),
          h('p', `This record is restricted by ${owner}. Your agency may know only that it exists; ask ${owner} for details.`)));
      focusHeading(out);
      return;
    }
    clear(out, h('h1', 'Record'), errorBox(err, () => load(id, me, out)));
    return;
  }
  const primary = (rec.names || []).find((n) => n.kind === 'primary') || (rec.names || [])[0] || {};
  clear(out,
    h('h1', name(primary.full, primary.script)),
    h('p.meta', [rec.kind, `owner ${rec.owner}`, `source ${rec.source}${rec.source_id ? ' ' + rec.source_id : ''}`,
      `status ${rec.status}`, `review ${rec.review_date || '—'}`].join(' · ')),
    h('div.grid',
      h('section.card', h('h2', 'Identity'), kv([
        ['Birth dates', (rec.birth_dates || []).map((b) => b.from + (b.to && b.to !== b.from ? `–${b.to}` : '') + (b.precision !== 'exact' ? ` (${b.precision})` : '')).join(', ') || '—'],
        ['Birth places', (rec.birth_places || []).map((b) => [b.place, b.country].filter(Boolean).join(', ')).join('; ') || '—'],
        ['Nationalities', (rec.nationalities || []).map((n) => n.text ? `${n.text} (${n.country})` : n.country).join(', ') || '—'],
        ['Gender', rec.gender],
        ['Addresses', (rec.addresses || []).map((a) => a.full).join('; ')],
        ['Remarks', rec.remarks],
      ])),
      restrictionCard(rec, me)),
    h('section', h('h2', 'Names'), table('All names of this record', ['Name', 'Script', 'Kind', 'Quality'],
      (rec.names || []).map((n) => h('tr', h('td', name(n.full, n.script)), h('td', n.script || '—'), h('td', n.kind || '—'), h('td', n.quality || '—'))))),
    h('section', h('h2', 'Documents'), (rec.identifiers || []).length
      ? table('Identity documents', ['Type', 'Number', 'Country', 'Issued', 'Note'],
        rec.identifiers.map((d) => h('tr', h('td', d.type), h('td', d.number), h('td', d.country || '—'), h('td', d.issued || '—'), h('td', d.note || ''))))
      : empty('No documents recorded.')),
    (rec.listings || []).length ? h('section', h('h2', 'Listings'), table('Sanctions listings', ['Authority', 'Programme', 'Reference', 'Listed', 'Measures'],
      rec.listings.map((l) => h('tr', h('td', l.authority), h('td', l.program || '—'), h('td', l.reference || '—'), h('td', l.listed_on || '—'), h('td', l.action || '—'))))) : null,
    noticesSection(rec.id, me.agency === rec.owner && ['officer', 'analyst', 'supervisor'].includes(me.role)),
    movementsSection(rec, primary),
    me.role === 'system-admin' ? auditSection(rec.id) : null);
  focusHeading(out);
}

// A restriction's list: a comma-separated string in a record (GET
// /api/v1/records/{id}), an array in the answer to a change.
const codesOf = (list) => (Array.isArray(list) ? list : String(list || '').split(',')).map((s) => s.trim()).filter(Boolean);

function restrictionCard(rec, me) {
  const r = rec.restriction || { kind: 'all' };
  const facts = (res) => kv([['Owner', rec.owner], ['Who may see it', res.kind + (codesOf(res.list).length ? `: ${codesOf(res.list).join(', ')}` : '')], ['Review date', rec.review_date]]);
  let shown = facts(r);
  const card = h('section.card', h('h2', 'Restriction and owner'), shown);
  const may = me.agency === rec.owner && ['supervisor', 'system-admin'].includes(me.role);
  if (!may) {
    card.append(h('p.hint', `Only a supervisor of ${rec.owner} may change who sees this record.`));
    return card;
  }
  const kind = h('select', { name: 'kind' }, ['all', 'regions', 'agencies', 'all-except', 'hit-only']
    .map((k) => h('option', { value: k, selected: k === r.kind }, k)));
  const list = h('input', { name: 'list', value: codesOf(r.list).join(', '), autocomplete: 'off' });
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form.restrict',
    h('h3', 'Change restriction'),
    field('Who may see it', kind, 'hit-only: other agencies learn only that there is a hit and whom to contact.'),
    field('Agencies or regions', list, 'Comma-separated codes, for regions, agencies and all-except (e.g. DEU-NCB, europe).'),
    h('button', { type: 'submit' }, 'Save restriction'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const codes = list.value.split(',').map((s) => s.trim()).filter(Boolean);
    const body = { kind: kind.value };
    if (['regions', 'agencies', 'all-except'].includes(kind.value)) body.list = codes;
    try {
      const res = await put(`/api/v1/records/${encodeURIComponent(rec.id)}/restriction`, body);
      const saved = codesOf(res.restriction.list);
      msg.replaceChildren(h('p.state.ok', `Saved: ${res.restriction.kind}${saved.length ? ' ' + saved.join(', ') : ''}.`));
      const now = facts(res.restriction);
      shown.replaceWith(now);
      shown = now;
      announce('Restriction saved.');
    } catch (err) { msg.replaceChildren(errorBox(err)); }
  });
  card.append(form);
  return card;
}

function noticesSection(id, mayCreate) {
  const sec = h('section', h('h2', 'Notices'),
    mayCreate ? h('p', h('a', { href: `#/notices${q({ record: id })}` }, 'New notice on this record')) : null,
    loading('Loading notices'));
  get(`/api/v1/notices${q({ record: id })}`).then((res) => {
    const list = res?.notices || [];
    sec.lastChild.replaceWith(list.length
      ? table('Notices on this record', ['Kind', 'State', 'Requested action', 'Summary', 'Valid until', 'Owner'],
        list.map((n) => h('tr', h('td', badge(n.kind)), h('td', n.state), h('td', h('strong', n.action)), h('td', n.summary || ''), h('td', n.valid_until || '—'), h('td', n.owner))))
      : empty('No notice on this record.'));
  }).catch((err) => sec.lastChild.replaceWith(errorBox(err)));
  return sec;
}

function movementsSection(rec, primary) {
  const sec = h('section', h('h2', 'Movements and links'), loading('Loading movements'));
  if (rec.kind !== 'person') { sec.lastChild.replaceWith(empty('Movements are recorded for persons only.')); return sec; }
  get(`/api/v1/persons/${encodeURIComponent(rec.id)}/movements`).then(async (res) => {
    const mv = res?.movements || [];
    if (!mv.length) { sec.lastChild.replaceWith(empty('No recorded movement: this person has not been seen on a screened manifest.')); return; }
    const chartBox = h('div.chart', { role: 'img', 'aria-label': 'Chart of the person, flights and co-travellers (the same links are listed in the table below)' });
    sec.lastChild.replaceWith(
      h('h3', 'Timeline'), timeline(mv.map((m) => m.movement)),
      table('Movements, oldest first', ['Departure', 'Flight', 'Route', 'Document', 'Reason', 'Recorded by'],
        mv.map(({ movement: m }) => h('tr', h('td', fmtTime(m.departure)), h('td', flightName(m.carrier, m.flight)), h('td', `${m.origin || '?'} → ${m.destination || '?'}`),
          h('td', [m.doc_state, m.doc_number].filter(Boolean).join(' ') || '—'), h('td', `${m.reason}${m.score ? ' ' + m.score.toFixed(2) : ''}`), h('td', m.agency)))),
      h('h3', 'Links'), chartBox,
      table('Co-travellers', ['Name', 'Link', 'Flight', 'Departure', 'Document'],
        mv.flatMap(({ movement: m, co_travellers: cs }) => (cs || []).map((c) => h('tr', h('td', name(`${c.given || ''} ${c.surname || ''}`.trim())), h('td', c.link), h('td', flightName(m.carrier, m.flight)), h('td', fmtTime(c.departure)), h('td', [c.doc_state, c.doc_number].filter(Boolean).join(' ') || '—'))))));
    const { linkChart } = await import('../links.js');
    linkChart(chartBox, primary.full || rec.id, mv);
  }).catch((err) => sec.lastChild.replaceWith(err.status === 403 ? h('p.state.restricted', 'Movements are restricted: contact the owner.') : errorBox(err)));
  return sec;
}

function auditSection(id) {
  const sec = h('section', h('h2', 'Audit trail of this record'), loading('Loading the audit trail'));
  get(`/api/v1/audit${q({ record: id, limit: 200 })}`).then((res) => {
    const list = res?.entries || [];
    sec.lastChild.replaceWith(list.length
      ? table('Who did what with this record', ['Time', 'User', 'Agency', 'Action', 'Detail'],
        list.map((e) => h('tr', h('td', fmtTime(e.time)), h('td', e.user), h('td', e.agency), h('td', e.action), h('td', e.detail || ''))))
      : empty('No audit entry names this record.'));
  }).catch((err) => sec.lastChild.replaceWith(errorBox(err)));
  return sec;
}
