// The audit log for auditors: filters, a page at a time.
import { get, q } from '../api.js';
import { h, clear, field, loading, empty, errorBox, table, fmtTime } from '../ui.js';

const FILTERS = ['action', 'user', 'agency', 'record', 'since', 'until'];

export function auditScreen(main, { params, go }) {
  const inputs = Object.fromEntries(FILTERS.map((f) => [f, h('input', { name: f, value: params.get(f) || '', autocomplete: 'off', placeholder: f === 'since' || f === 'until' ? 'YYYY-MM-DD' : '' })]));
  const form = h('form.row.wrap', FILTERS.map((f) => field(f[0].toUpperCase() + f.slice(1), inputs[f])), h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => { e.preventDefault(); go(`audit${q(Object.fromEntries(FILTERS.map((f) => [f, inputs[f].value.trim()])))}`); });
  const out = h('div', loading('Loading the audit log'));
  const rec = params.get('record');
  main.append(h('h1', rec ? `Audit trail of record ${rec}` : 'Audit log'), form, out);
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f)]));
  page(out, filter, params.get('after'), go);
}

async function page(out, filter, after, go) {
  try {
    const res = await get(`/api/v1/audit${q({ ...filter, after, limit: 100 })}`);
    const list = res.entries || [];
    clear(out, list.length ? table('Audit entries, oldest first', ['Seq', 'Time', 'User', 'Agency', 'Role', 'Action', 'Records', 'Detail'],
      list.map((e) => h('tr', h('td', e.seq), h('td', fmtTime(e.time)), h('td', e.user), h('td', e.agency), h('td', e.role), h('td', e.action),
        h('td.ids', (e.records || '').split(',').filter(Boolean).slice(0, 5).map((r) => h('a', { href: `#/audit${q({ record: r })}`, title: `The audit trail of ${r}` }, r, ' '))), h('td', e.detail || ''))))
      : empty('No entry matches.'),
    res.next_after ? h('p', h('a', { href: `#/audit${q({ ...filter, after: res.next_after })}` }, 'Next page')) : null);
  } catch (err) { clear(out, errorBox(err, () => page(out, filter, after, go))); }
}
