// A movements timeline in plain SVG: one mark per flight along a time
// axis, labelled with the route; the table beside it says the same in text.
const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, text) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

export function timeline(moves) {
  const pts = moves.map((m) => ({ m, t: Date.parse(m.departure || m.recorded) })).filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const W = 720, H = 120, pad = 48;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img', 'aria-label': `Timeline of ${pts.length} movement(s)` });
  if (!pts.length) return svg;
  const t0 = pts[0].t, t1 = pts[pts.length - 1].t;
  const span = Math.max(t1 - t0, 86400000);
  const x = (t) => pad + ((t - t0) / span) * (W - 2 * pad) + (t1 === t0 ? (W - 2 * pad) / 2 : 0);
  svg.append(s('line', { x1: pad, y1: 70, x2: W - pad, y2: 70, class: 'axis' }));
  svg.append(s('text', { x: pad, y: 100, class: 'tick' }, new Date(t0).toISOString().slice(0, 10)));
  if (t1 !== t0) svg.append(s('text', { x: W - pad, y: 100, class: 'tick', 'text-anchor': 'end' }, new Date(t1).toISOString().slice(0, 10)));
  pts.forEach(({ m, t }, i) => {
    const g = s('g', { class: 'mark' });
    g.append(s('title', {}, `${m.carrier || ''}${m.flight || ''} ${m.origin}→${m.destination} ${m.departure}`));
    g.append(s('circle', { cx: x(t), cy: 70, r: 7 }));
    g.append(s('text', { x: x(t), y: i % 2 ? 40 : 52, 'text-anchor': 'middle', class: 'label' }, `${m.origin}→${m.destination}`));
    svg.append(g);
  });
  return svg;
}
