// Notices: the list the user may read, a new draft, and the steps
// draft → review → published → cancelled by role.
import { get, post, q } from '../api.js';
import { h, clear, field, loading, empty, errorBox, badge, table, announce, fmtTime } from '../ui.js';

const KINDS = ['red', 'blue', 'yellow', 'green', 'orange', 'black', 'purple', 'un-special', 'diffusion', 'national', 'sanctions'];
const ACTIONS = ['arrest', 'locate', 'inform', 'monitor'];
const STATES = ['', 'draft', 'review', 'published', 'cancelled', 'expired'];

export function noticesScreen(main, { me, params, go }) {
  const state = h('select', { name: 'state' }, STATES.map((s) => h('option', { value: s, selected: s === (params.get('state') || '') }, s || 'any')));
  const kind = h('select', { name: 'kind' }, ['', ...KINDS].map((k) => h('option', { value: k, selected: k === (params.get('kind') || '') }, k || 'any')));
  const filter = h('form.row', field('State', state), field('Kind', kind), h('button', { type: 'submit' }, 'Filter'));
  filter.addEventListener('submit', (e) => { e.preventDefault(); go(`notices${q({ state: state.value, kind: kind.value })}`); });
  const list = h('div', loading('Loading notices'));
  clear(main, h('h1', 'Notices'), filter, list, createForm(me, () => load(), params.get('record')));
  const load = () => loadList(list, me, { state: params.get('state'), kind: params.get('kind'), record: params.get('record') }, load);
  load();
}

async function loadList(out, me, filter, reload) {
  try {
    const res = await get(`/api/v1/notices${q({ ...filter, limit: 200 })}`);
    const list = res?.notices || [];
    clear(out, list.length ? table('Notices you may read', ['Kind', 'State', 'Action', 'Summary', 'Record', 'Owner', 'Valid until', 'Updated', 'Steps'],
      list.map((n) => h('tr', { dataset: { notice: n.id } }, h('td', badge(n.kind)), h('td', n.state), h('td', n.action), h('td', n.summary || ''),
        h('td', h('a', { href: `#/person/${encodeURIComponent(n.record)}` }, n.record)), h('td', n.owner), h('td', n.valid_until || '—'), h('td', fmtTime(n.updated)),
        h('td', steps(n, me, reload))))) : empty('No notice matches.'));
  } catch (err) { clear(out, errorBox(err, reload)); }
}

function steps(n, me, reload) {
  if (n.owner !== me.agency) return '—';
  const b = (label, path, body) => h('button.small', { type: 'button', onclick: async (e) => {
    try { await post(`/api/v1/notices/${encodeURIComponent(n.id)}/${path}`, body ? body() : {}); announce(`Notice ${n.id}: ${label.toLowerCase()} done.`); reload(); }
    catch (err) { e.target.after(errorBox(err)); }
  } }, label);
  const out = [];
  if (n.state === 'draft' && ['officer', 'analyst', 'supervisor'].includes(me.role)) out.push(b('Submit for review', 'submit'));
  if (n.state === 'review' && me.role === 'supervisor') out.push(b('Publish', 'publish'));
  if (['draft', 'review', 'published'].includes(n.state) && me.role === 'supervisor')
    out.push(b('Cancel', 'cancel', () => ({ reason: prompt('Reason for cancelling') || 'cancelled' })));
  return out.length ? h('div.row', out) : '—';
}

function createForm(me, reload, recordId) {
  if (!['officer', 'analyst', 'supervisor'].includes(me.role)) return null;
  const record = h('input', { name: 'record', required: true, autocomplete: 'off', value: recordId || '' });
  const kind = h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k }, k)));
  const action = h('select', { name: 'action' }, ACTIONS.map((k) => h('option', { value: k }, k)));
  const summary = h('textarea', { name: 'summary', rows: 2, required: true });
  const until = h('input', { name: 'valid_until', type: 'date' });
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form.card', h('h2', 'New notice'), field('Record id', record, `A record owned by ${me.agency}.`), field('Kind', kind), field('Requested action', action),
    field('Summary', summary), field('Valid until', until), h('button', { type: 'submit' }, 'Create draft'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const n = await post('/api/v1/notices', { record: record.value.trim(), kind: kind.value, action: action.value, summary: summary.value.trim(), valid_until: until.value || undefined });
      msg.replaceChildren(h('p.state.ok', `Draft ${n.id} created.`));
      reload();
    } catch (err) { msg.replaceChildren(errorBox(err)); }
  });
  return form;
}
