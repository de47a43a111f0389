// Search across persons, organisations, documents and notices: GET
// /api/v1/search, results ranked by score and explained.
import { get, q } from '../api.js';
import { h, clear, field, loading, empty, errorBox, badge, name } from '../ui.js';
import { hitList } from './hitlist.js';

export function searchScreen(main, { params, go }) {
  const input = h('input', { type: 'search', name: 'q', value: params.get('q') || '', autocomplete: 'off', required: true, dir: 'auto' });
  const results = h('section', { 'aria-live': 'polite', 'aria-label': 'Results' });
  const form = h('form.row', { role: 'search' },
    field('Name, or document as STATE NUMBER', input, 'Any script and spelling: “Khalid al Fawwaz”, “أسامة بن لادن”, “UTO L898902C3”.'),
    h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) go(`search?q=${encodeURIComponent(input.value.trim())}`);
  });
  main.append(h('h1', 'Search'), form, results);
  const term = params.get('q');
  if (term) run(term, results);
  else results.append(empty('Type a name or a document number to search the watchlists you may read.'));
}

async function run(term, out) {
  clear(out, loading('Searching'));
  try {
    const res = await get(`/api/v1/search${q({ q: term, limit: 25 })}`);
    const recs = res.records || [], docs = res.documents || [], notices = res.notices || [];
    clear(out);
    out.append(h('p.summary', `${recs.length} record${recs.length === 1 ? '' : 's'}, ${docs.length} document${docs.length === 1 ? '' : 's'}, ${notices.length} notice${notices.length === 1 ? '' : 's'} for “`, name(term), '”.'));
    if (!recs.length && !docs.length && !notices.length) {
      out.append(empty('No match. Try fewer words, another spelling, or the name in its original script.'));
      return;
    }
    if (recs.length) out.append(h('h2', 'Persons and organisations'), hitList(recs, 'Persons and organisations, best match first'));
    if (docs.length) out.append(h('h2', 'Documents'), h('ul.docs', docs.map(docItem)));
    if (notices.length) out.append(h('h2', 'Notices'), h('ul', notices.map((n) => h('li', badge(n.kind), ' ', h('a', { href: `#/person/${encodeURIComponent(n.record)}` }, n.summary || n.id), ` · ${n.state} · ${n.action}`))));
  } catch (err) {
    clear(out, errorBox(err, () => run(term, out)));
  }
}

export function docItem(d) {
  if (d.restricted) return h('li.hit.restricted', badge('hit'), ' ', d.message || `hit: contact ${d.owner}`);
  return h('li.hit', h('div.hit-head', badge(d.status), h('strong', `${d.issuing_state || ''} ${d.number || ''}`)),
    h('p.meta', [`type ${d.type}`, `reported ${d.reported}`, `owner ${d.owner}`].join(' · ')));
}
