// Screening hits as a list: ranked, each explained (which words aligned,
// what the birth date, nationality and document did), restricted ones as
// "contact owner" only.
import { h, name, badge, score } from '../ui.js';

export function explainList(explain) {
  if (!Array.isArray(explain) || !explain.length) return null;
  return h('ul.explain', explain.map((f) => {
    if (f.feature === 'name') {
      const words = (f.aligned || []).map((a) => `${a.query} ≈ ${a.list} (${Math.round(a.similarity * 100)} %)`);
      const extra = [];
      if (f.unmatched_query?.length) extra.push(`not matched in the query: ${f.unmatched_query.join(', ')}`);
      if (f.unmatched_list?.length) extra.push(`not matched in the record: ${f.unmatched_list.join(', ')}`);
      if (f.words_out_of_order) extra.push(`${f.words_out_of_order} word(s) out of order`);
      return h('li', h('strong', `Name (${f.name_kind || 'name'}): `), words.join('; ') || 'no word aligned',
        extra.length ? ` — ${extra.join('; ')}` : '');
    }
    const eff = typeof f.effect === 'number' && f.effect !== 0 ? ` (${f.effect > 0 ? '+' : ''}${f.effect.toFixed(2)})` : '';
    return h('li', h('strong', `${f.feature.replace(/_/g, ' ')}: `), f.detail || '', eff);
  }));
}

export function hitItem(hit) {
  if (hit.restricted) {
    return h('li.hit.restricted', { dataset: { record: hit.record || hit.document || '' } },
      h('div.hit-head', badge(hit.decision || 'hit'), h('strong', 'Restricted record'), score(hit.score)),
      h('p.contact', hit.message || `hit: contact ${hit.owner}`),
      h('p', 'Contact owner: ', h('strong', hit.owner || 'the owning agency'), '. No details are shown to your agency.'));
  }
  const link = hit.record ? h('a', { href: `#/person/${encodeURIComponent(hit.record)}` }, name(hit.name)) : name(hit.name);
  return h('li.hit', { dataset: { record: hit.record || '' } },
    h('div.hit-head', badge(hit.decision), h('span.hit-name', link), score(hit.score)),
    h('p.meta', [hit.kind, hit.source && `source ${hit.source}`, hit.source_id,
      hit.notice && `notice ${hit.notice.kind} · ${hit.notice.action}`].filter(Boolean).join(' · ')),
    hit.explain ? h('details', h('summary', 'Why this result'), explainList(hit.explain)) : null);
}

export function hitList(hits, label) {
  return h('ol.hits', { 'aria-label': label }, hits.map(hitItem));
}
