// Manifest upload: a PAXLST, PNRGOV or JSON manifest, sent with its
// progress shown, answered with one line per traveller.
import { upload } from '../api.js';
import { h, clear, field, errorBox, badge, name, table, kv, announce, empty, fmtTime, flightName } from '../ui.js';
import { explainList } from './hitlist.js';

export function manifestScreen(main) {
  const file = h('input', { type: 'file', name: 'file', accept: '.edi,.txt,.json,.pnr,.xml,text/plain,application/json' });
  const text = h('textarea', { name: 'text', rows: 4, spellcheck: 'false', class: 'mono' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload and screening progress' });
  const status = h('p.progress-text', { role: 'status', 'aria-live': 'polite' });
  const out = h('div.results');
  const btn = h('button', { type: 'submit' }, 'Screen manifest');
  const form = h('form.card',
    field('Manifest file (PAXLST, PNRGOV or JSON)', file),
    field('…or paste the message', text, 'Used when no file is chosen.'),
    btn, progress, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    const blob = f || (text.value.trim() ? new Blob([text.value]) : null);
    if (!blob) { status.textContent = 'Choose a file or paste a message first.'; return; }
    btn.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    out.setAttribute('aria-busy', 'true');
    clear(out);
    const started = performance.now();
    try {
      const res = await upload('/api/v1/manifests', blob, (phase, sent, total) => {
        if (phase === 'upload') {
          const pct = total ? Math.round((sent / total) * 100) : 0;
          progress.value = Math.min(pct, 99);
          status.textContent = `Sending ${f ? f.name : 'message'}: ${pct} % of ${Math.ceil(total / 1024)} KiB`;
        } else {
          progress.removeAttribute('value'); // indeterminate while the server screens
          status.textContent = 'Sent. Screening every traveller…';
        }
      });
      progress.value = 100;
      status.textContent = `Screened ${res.summary?.travellers ?? res.travellers.length} travellers in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
      render(res, out);
      announce(`${res.summary?.alerts || 0} alert(s), ${res.summary?.review || 0} to review among ${res.travellers.length} travellers.`);
    } catch (err) {
      status.textContent = '';
      clear(out, errorBox(err));
    } finally {
      btn.disabled = false;
      progress.hidden = true;
      out.removeAttribute('aria-busy');
    }
  });
  main.append(h('h1', 'Manifests'), h('p.lead', 'Screen a whole flight: names against the watchlists, documents against the stolen and lost, and the risk rules.'), form, out);
}

function render(res, out) {
  const fl = res.flight || {};
  const s = res.summary || {};
  const only = h('input', { type: 'checkbox', id: 'flagged-only' });
  const rows = res.travellers.map(travellerRow);
  const tbl = table('Travellers, in the order of the manifest', ['#', 'Traveller', 'Role', 'Born', 'Nationality', 'Documents', 'Watchlist', 'Rules', 'Decision'], rows, { cls: 'travellers' });
  only.addEventListener('change', () => rows.forEach((r) => { r.hidden = only.checked && r.dataset.decision === 'clear'; }));
  clear(out,
    h('h2', `Flight ${flightName(fl.carrier, fl.flight)} ${fl.origin || ''} → ${fl.destination || ''}`),
    kv([['Departure', fmtTime(fl.departure)], ['Travellers', s.travellers], ['Alerts', s.alerts], ['To review', s.review], ['Documents flagged', s.documents_flagged], ['Rules fired', s.rules_fired]]),
    res.warnings?.length ? h('div.state.warn', h('strong', 'Warnings'), h('ul', res.warnings.map((w) => h('li', typeof w === 'string' ? w : JSON.stringify(w))))) : null,
    h('div.field.inline', only, h('label', { for: 'flagged-only' }, 'Show flagged travellers only')),
    res.travellers.length ? tbl : empty('The manifest names no traveller.'));
}

function travellerRow(t) {
  const top = (t.hits || [])[0];
  const docs = (t.documents || []).map((d) => h('div', `${d.type || ''} ${d.issuing_state || ''} ${d.number || ''} `, badge(d.status)));
  const hit = !top ? '—' : top.restricted ? h('span.contact', top.message || `hit: contact ${top.owner}`)
    : h('div', badge(top.decision), ' ', h('a', { href: `#/person/${encodeURIComponent(top.record)}` }, name(top.name)), ` ${top.score.toFixed(2)}`,
      top.explain ? h('details', h('summary', 'Why'), explainList(top.explain)) : null);
  const rules = (t.rules || []).map((r) => h('div', `${r.name || r.id} (${r.severity || ''})`));
  return h(`tr.d-${t.decision}`, { dataset: { decision: t.decision } },
    h('td', t.index + 1), h('th', { scope: 'row' }, name(`${t.surname || ''}, ${t.given || ''}`)), h('td', t.role || ''), h('td', t.birth_date || '—'), h('td', t.nationality || '—'),
    h('td', docs.length ? docs : '—'), h('td', hit), h('td', rules.length ? rules : '—'), h('td', badge(t.decision)));
}
