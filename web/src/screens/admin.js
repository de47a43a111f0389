// Agency and user administration (agency administrators for their own
// agency, system administrators for all).
import { get, post, put } from '../api.js';
import { h, clear, field, loading, empty, errorBox, table, announce } from '../ui.js';

const ROLES = ['officer', 'analyst', 'supervisor', 'agency-admin', 'auditor', 'system-admin'];
// an agency administrator gives no auditor nor system-administrator role, and
// may not change the users who have one (the server refuses both)
const PRIVILEGED = ['auditor', 'system-admin'];
const rolesFor = (me) => (me.role === 'system-admin' ? ROLES : ROLES.filter((r) => !PRIVILEGED.includes(r)));

export function adminScreen(main, { me }) {
  const agencies = h('div', loading('Loading agencies'));
  const users = h('div', loading('Loading users'));
  clear(main, h('h1', 'Administration'), h('h2', 'Agencies'), agencies, me.role === 'system-admin' ? agencyForm(() => loadAgencies(agencies)) : null,
    h('h2', 'Users'), users, userForm(me, () => loadUsers(users, me)));
  loadAgencies(agencies);
  loadUsers(users, me);
}

async function loadAgencies(out) {
  try {
    const list = (await get('/api/v1/agencies'))?.agencies || [];
    clear(out, list.length ? table('Agencies', ['Code', 'Name', 'Kind', 'Country', 'Regions'],
      list.map((a) => h('tr', h('td', a.code), h('td', a.name), h('td', a.kind), h('td', a.country || '—'), h('td', (Array.isArray(a.regions) ? a.regions.join(', ') : a.regions) || '—')))) : empty('No agency.'));
  } catch (err) { clear(out, errorBox(err, () => loadAgencies(out))); }
}

async function loadUsers(out, me) {
  try {
    const list = (await get('/api/v1/users'))?.users || [];
    clear(out, list.length ? table('Users', ['User', 'Agency', 'Role', 'Enabled', 'Change'],
      list.map((u) => {
        if (me.role !== 'system-admin' && PRIVILEGED.includes(u.role))
          return h('tr', h('td', u.username || u.user), h('td', u.agency), h('td', u.role), h('td', u.enabled !== false ? 'yes' : 'no'), h('td', 'by a system administrator'));
        const role = h('select', { 'aria-label': `Role of ${u.username || u.user}` }, rolesFor(me).map((r) => h('option', { value: r, selected: r === u.role }, r)));
        const enabled = h('input', { type: 'checkbox', checked: u.enabled !== false, 'aria-label': `${u.username || u.user} enabled` });
        const save = h('button.small', { type: 'button', onclick: async () => {
          try { await put(`/api/v1/users/${encodeURIComponent(u.username || u.user)}`, { role: role.value, enabled: enabled.checked }); announce('User saved.'); loadUsers(out, me); }
          catch (err) { save.after(errorBox(err)); }
        } }, 'Save');
        return h('tr', h('td', u.username || u.user), h('td', u.agency), h('td', role), h('td', enabled), h('td', save));
      })) : empty('No user.'));
  } catch (err) { clear(out, errorBox(err, () => loadUsers(out, me))); }
}

function agencyForm(reload) {
  const code = h('input', { name: 'code', required: true }), nm = h('input', { name: 'name', required: true });
  const kind = h('select', { name: 'kind' }, ['ncb', 'national-service', 'international-organisation'].map((k) => h('option', { value: k }, k))), country = h('input', { name: 'country' }), regions = h('input', { name: 'regions' });
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form.card', h('h3', 'New agency'), field('Code', code), field('Name', nm), field('Kind', kind), field('Country', country), field('Regions', regions, 'Comma-separated'),
    h('button', { type: 'submit' }, 'Add agency'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await post('/api/v1/agencies', { code: code.value.trim(), name: nm.value.trim(), kind: kind.value.trim(), country: country.value.trim() || undefined, regions: regions.value.split(',').map((s) => s.trim()).filter(Boolean) }); reload(); msg.replaceChildren(h('p.state.ok', 'Agency added.')); }
    catch (err) { msg.replaceChildren(errorBox(err)); }
  });
  return form;
}

function userForm(me, reload) {
  const user = h('input', { name: 'username', required: true, autocomplete: 'off' }), agency = h('input', { name: 'agency', value: me.agency, readonly: me.role !== 'system-admin' });
  const role = h('select', { name: 'role' }, rolesFor(me).map((r) => h('option', { value: r }, r)));
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form.card', h('h3', 'New user'), field('User name', user), field('Agency', agency), field('Role', role), field('Initial password', pw, 'At least 12 characters; the user changes it.'),
    h('button', { type: 'submit' }, 'Add user'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await post('/api/v1/users', { username: user.value.trim(), agency: agency.value.trim(), role: role.value, password: pw.value }); pw.value = ''; reload(); msg.replaceChildren(h('p.state.ok', 'User added.')); }
    catch (err) { msg.replaceChildren(errorBox(err)); }
  });
  return form;
}
