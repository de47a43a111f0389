// live.js — hits as they happen: GET /api/v1/hits/stream (server-sent
// events, ?token= since EventSource sends no headers), resumed from the
// last seq; polling GET /api/v1/hits when the stream is not there.
import { get, session } from './api.js';
import { announce } from './ui.js';

const listeners = new Set();
let es = null;
let timer = null;
let lastSeq = 0;
let pending = 0;
let mode = 'off'; // 'stream' | 'poll' | 'off'

function emit(type, hit) { for (const fn of listeners) fn(type, hit); }

function onHit(type, data) {
  let hit;
  try { hit = JSON.parse(data); } catch { return; }
  if (hit.seq) lastSeq = Math.max(lastSeq, hit.seq);
  if (type === 'hit') {
    if (hit.state === 'pending' && hit.owner === meAgency) pending++;
    announce(`New hit ${hit.id}: ${hit.kind} checked by ${hit.checking_agency}${hit.name ? ', ' + hit.name : ''}.`);
  } else if (type === 'hit-update') {
    announce(`Hit ${hit.id} is now ${hit.state}.`);
  }
  hits.renderCount();
  emit(type, hit);
}

function startStream(me) {
  const url = `/api/v1/hits/stream?token=${encodeURIComponent(session.token())}${lastSeq ? `&after=${lastSeq}` : ''}`;
  let opened = false;
  es = new EventSource(url);
  es.addEventListener('open', () => { opened = true; mode = 'stream'; });
  es.addEventListener('hit', (e) => onHit('hit', e.data));
  es.addEventListener('hit-update', (e) => onHit('hit-update', e.data));
  es.addEventListener('error', () => {
    if (!opened) { es.close(); es = null; startPolling(me); } // no stream on this server
  });
}

async function poll() {
  try {
    const res = await get('/api/v1/hits?limit=50', { noRedirect: true });
    const list = res?.hits || [];
    const known = new Map(seen);
    for (const hit of list.slice().reverse()) {
      const before = known.get(hit.id);
      if (!before) { if (primed) onHit('hit', JSON.stringify(hit)); }
      else if (before !== `${hit.state}|${hit.updated}`) onHit('hit-update', JSON.stringify(hit));
      seen.set(hit.id, `${hit.state}|${hit.updated}`);
    }
    pending = list.filter((x) => x.state === 'pending' && x.owner === meAgency).length;
    primed = true;
    hits.renderCount();
  } catch (err) {
    if (err.status === 404 || err.status === 403) hits.stop(); // no hits API here, or not for this role
  }
}
const seen = new Map();
let primed = false;
let meAgency = null;

function startPolling() {
  mode = 'poll';
  poll();
  timer = setInterval(poll, 3000);
}

export const hits = {
  get mode() { return mode; },
  start(me) {
    this.stop();
    if (!['officer', 'analyst', 'supervisor', 'system-admin'].includes(me.role)) return;
    meAgency = me.agency;
    if (typeof EventSource === 'function') startStream(me);
    else startPolling(me);
  },
  stop() {
    if (es) es.close();
    if (timer) clearInterval(timer);
    es = null; timer = null; mode = 'off'; pending = 0; seen.clear(); primed = false;
  },
  on(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  setPending(n) { pending = n; this.renderCount(); },
  renderCount() {
    const el = document.getElementById('hit-count');
    if (!el) return;
    el.hidden = pending <= 0;
    el.textContent = pending > 0 ? String(pending) : '';
    el.setAttribute('aria-label', `${pending} pending`);
  },
};
