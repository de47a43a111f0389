// ui.js — small DOM helpers: h() builds elements (text only, never HTML
// strings), states for loading / empty / error, names in their script's
// direction, badges.

export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm']);
const RTL_CHARS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

// A name in its own direction: explicit rtl for Arabic and Hebrew script
// (by the record's script tag, or by its letters), auto otherwise.
export function name(text, script) {
  const rtl = RTL_SCRIPTS.has(script) || (!script && RTL_CHARS.test(text || ''));
  return h('bdi.name', { dir: rtl ? 'rtl' : 'auto', lang: script === 'Arab' ? 'ar' : script === 'Hebr' ? 'he' : null }, text || '—');
}

export const loading = (what = 'Loading') => h('p.state.loading', { role: 'status', 'aria-busy': 'true' }, `${what}…`);
export const empty = (text) => h('p.state.empty', text);
export function errorBox(err, retry) {
  const msg = err?.message || String(err);
  return h('div.state.error', { role: 'alert' },
    h('strong', err?.status === 404 && err?.code === 'not_found' && /resource/.test(msg) ? 'Not available on this server yet'
      : err?.status === 400 ? 'Not accepted by the server' // msg names the faulty field
        : err?.status === 403 ? 'Not allowed' : 'Something went wrong'),
    h('p', msg, err?.status ? ` (HTTP ${err.status})` : ''),
    retry ? h('button', { type: 'button', onclick: retry }, 'Try again') : null);
}

export function badge(decision) {
  const d = String(decision || '').toLowerCase();
  return h(`span.badge.b-${d.replace(/[^a-z-]/g, '')}`, d || '—');
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintEl = hint ? h('span.hint', { id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', h('label', { for: id }, label), input, hintEl);
}

export function table(caption, headers, rows, opts = {}) {
  return h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': caption },
    h(`table${opts.cls ? '.' + opts.cls : ''}`,
      h('caption', opts.hideCaption ? { class: 'sr-only' } : null, caption),
      h('thead', h('tr', headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', rows)));
}

export function announce(text, assertive = false) {
  const el = document.getElementById(assertive ? 'alert' : 'live');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 30);
}

export function score(s) {
  const v = typeof s === 'number' ? s : 0;
  return h('span.score', h('meter', { min: 0, max: 1, low: 0.7, high: 0.85, optimum: 0, value: v, 'aria-hidden': 'true' }),
    ` ${v.toFixed(2)}`);
}

// "AF" and "AF1188" (or "1188") as one flight designator.
export const flightName = (carrier, flight) => (flight && carrier && String(flight).startsWith(carrier) ? flight : `${carrier || ''}${flight || ''}`);

export const fmtTime = (t) => (t ? String(t).replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');

export function kv(pairs) {
  return h('dl.kv', pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', k), h('dd', v)]));
}

// A screen that loads its heading later gives it the focus then, unless the
// user has moved on meanwhile (the focus is still on <main>).
export function focusHeading(root) {
  const h1 = root.querySelector('h1');
  if (!h1) return;
  document.title = `${h1.textContent} · ctwatch`;
  const active = document.activeElement;
  if (active && active !== document.body && active.id !== 'main') return;
  h1.setAttribute('tabindex', '-1');
  h1.focus();
}
