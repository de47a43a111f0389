// The screening form: a person, an MRZ typed or pasted, or a document.
import { post } from '../api.js';
import { h, clear, field, loading, empty, errorBox, badge, kv } from '../ui.js';
import { hitList } from './hitlist.js';
import { docItem } from './search.js';
import { parseMrz } from '../mrz.js';

export function screenScreen(main) {
  main.append(h('h1', 'Screen'), h('p.lead', 'Check a person, a passport’s machine readable zone or a document against the watchlists and the stolen and lost documents.'));
  main.append(h('div.grid3', personForm(), mrzForm(), documentForm()));
}

function section(title, form, out) {
  return h('section.card', { 'aria-labelledby': `h-${title.replace(/\W/g, '')}` }, h('h2', { id: `h-${title.replace(/\W/g, '')}` }, title), form, out);
}

function personForm() {
  const nm = h('input', { name: 'name', required: true, autocomplete: 'off', dir: 'auto' });
  const dob = h('input', { name: 'dob', placeholder: 'YYYY-MM-DD', autocomplete: 'off' });
  const nat = h('input', { name: 'nationality', autocomplete: 'off' });
  const gender = h('select', { name: 'gender' }, h('option', { value: '' }, 'unknown'), h('option', { value: 'm' }, 'male'), h('option', { value: 'f' }, 'female'));
  const out = h('div.results', { 'aria-live': 'polite' });
  const form = h('form', field('Name (any script)', nm), field('Birth date', dob, 'YYYY, YYYY-MM or YYYY-MM-DD'), field('Nationality', nat, 'Country name or ISO code'),
    field('Gender', gender), h('button', { type: 'submit' }, 'Screen person'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { name: nm.value.trim() };
    if (dob.value.trim()) body.dob = dob.value.trim();
    if (nat.value.trim()) body.nationality = nat.value.trim();
    if (gender.value) body.gender = gender.value;
    clear(out, loading('Screening'));
    try {
      const res = await post('/api/v1/screen', body);
      clear(out, res.hits.length ? hitList(res.hits, 'Screening hits') : empty('No hit: nothing on the watchlists matches.'));
    } catch (err) { clear(out, errorBox(err)); }
  });
  return section('Person', form, out);
}

function mrzForm() {
  const mrz = h('textarea', { name: 'mrz', rows: 3, spellcheck: 'false', autocomplete: 'off', class: 'mono' });
  const out = h('div.results', { 'aria-live': 'polite' });
  const form = h('form', field('Machine readable zone', mrz, 'Type or paste the two or three lines (or separate them with |).'),
    h('button', { type: 'submit' }, 'Check MRZ'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const m = parseMrz(mrz.value);
    if (m.error) { clear(out, h('p.state.error', { role: 'alert' }, m.error)); return; }
    clear(out, loading('Checking the document and the holder'));
    try {
      const name = `${m.given} ${m.surname}`.trim();
      const [doc, scr] = await Promise.all([
        post('/api/v1/documents/check', { state: m.state, number: m.number, type: m.type[0] }),
        name ? post('/api/v1/screen', { name, dob: m.dob || undefined, nationality: m.nationality || undefined, gender: m.sex === 'M' ? 'm' : m.sex === 'F' ? 'f' : undefined }) : { hits: [] },
      ]);
      clear(out,
        kv([['Read', `${m.format} ${m.type} ${m.state} ${m.number}`], ['Holder', name], ['Born', m.dob], ['Expires', m.expiry],
          ['Check digits', m.valid ? 'all valid' : `wrong: ${m.issues.join(', ')}`]]),
        h('h3', 'Document ', badge(doc.status)),
        doc.hits?.length ? h('ul.docs', doc.hits.map(docItem)) : empty('Not reported stolen, lost or revoked.'),
        h('h3', 'Holder'),
        scr.hits?.length ? hitList(scr.hits, 'Holder screening hits') : empty('No hit on the holder’s name.'));
    } catch (err) { clear(out, errorBox(err)); }
  });
  return section('Passport MRZ', form, out);
}

function documentForm() {
  const state = h('input', { name: 'state', required: true, autocomplete: 'off', maxlength: 3 });
  const number = h('input', { name: 'number', required: true, autocomplete: 'off' });
  const type = h('select', { name: 'type' }, h('option', { value: '' }, 'any'), ['P', 'I', 'A', 'C', 'V'].map((t) => h('option', { value: t }, t)));
  const out = h('div.results', { 'aria-live': 'polite' });
  const form = h('form', field('Issuing state', state, 'ISO or ICAO code: FRA, FR, D, UTO'), field('Document number', number), field('Type', type),
    h('button', { type: 'submit' }, 'Check document'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(out, loading('Checking'));
    try {
      const body = { state: state.value.trim(), number: number.value.trim() };
      if (type.value) body.type = type.value;
      const doc = await post('/api/v1/documents/check', body);
      clear(out, h('p', 'Status: ', badge(doc.status)), doc.hits?.length ? h('ul.docs', doc.hits.map(docItem)) : empty('Not reported stolen, lost or revoked.'));
    } catch (err) { clear(out, errorBox(err)); }
  });
  return section('Document', form, out);
}
