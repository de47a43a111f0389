// Risk rules: the list, and each rule's definition edited as JSON (every
// save is a new version; a faulty rule is refused with its JSON path).
import { get, post, put } from '../api.js';
import { h, clear, field, loading, empty, errorBox, table, announce, fmtTime } from '../ui.js';

const TEMPLATE = { name: 'New rule', severity: 'medium', description: '', when: { all: [{ field: 'route.destination_country', op: 'in', value: ['TUR'] }] } };

export function rulesScreen(main, { parts, go }) {
  const list = h('div', loading('Loading rules'));
  const editor = h('div');
  main.append(h('h1', 'Risk rules'), list, editor);
  loadList(list, go);
  edit(editor, parts[0], go, list);
}

async function loadList(out, go) {
  try {
    const res = await get('/api/v1/rules');
    const rules = res?.rules || [];
    clear(out, rules.length ? table('Rules (newest versions)', ['Rule', 'Severity', 'Version', 'Enabled', 'By', 'Changed'],
      rules.map((r) => h('tr', h('td', h('a', { href: `#/rules/${r.id}` }, r.name)), h('td', r.severity), h('td', r.version), h('td', r.enabled ? 'yes' : 'no'), h('td', `${r.author} (${r.agency})`), h('td', fmtTime(r.created)))))
      : empty('No risk rule yet.'), h('p', h('a', { href: '#/rules/new' }, 'Write a new rule')));
  } catch (err) { clear(out, errorBox(err, () => loadList(out, go))); }
}

async function edit(out, id, go, list) {
  if (!id) return;
  let def = TEMPLATE;
  if (id !== 'new') {
    try { def = (await get(`/api/v1/rules/${encodeURIComponent(id)}`)).definition; } catch (err) { clear(out, errorBox(err)); return; }
  }
  const text = h('textarea.mono', { name: 'definition', rows: 16, spellcheck: 'false' });
  text.value = JSON.stringify(def, null, 2);
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form.card', h('h2', id === 'new' ? 'New rule' : `Edit ${id}`),
    field('Definition (JSON)', text, 'Conditions on route, airports, countries, age, nationality, documents, booking; combined with all, any and not.'),
    h('button', { type: 'submit' }, id === 'new' ? 'Create rule' : 'Save new version'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let body;
    try { body = JSON.parse(text.value); } catch (err) { msg.replaceChildren(h('p.state.error', { role: 'alert' }, `Not JSON: ${err.message}`)); return; }
    try {
      const r = id === 'new' ? await post('/api/v1/rules', body) : await put(`/api/v1/rules/${encodeURIComponent(id)}`, body);
      announce(`Rule ${r.id} saved as version ${r.version}.`);
      // a new version of the rule on screen: the address stays the same, so
      // no hashchange re-renders the screen; refresh the list here
      if (id === r.id) { loadList(list, go); msg.replaceChildren(h('p.state.ok', `Saved as version ${r.version}.`)); } else go(`rules/${r.id}`);
    } catch (err) { msg.replaceChildren(errorBox(err)); }
  });
  clear(out, form);
}
