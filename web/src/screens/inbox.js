// The hit inbox: hits on our agency's records (owner side) and hits our
// checks raised on others' (checker side), live; confirm or false match,
// and the message thread between the two agencies.
import { get, post, q } from '../api.js';
import { h, clear, loading, empty, errorBox, badge, name, fmtTime, field, announce, kv, score } from '../ui.js';
import { hits as live } from '../live.js';

export function inboxScreen(main, { me, parts, go, params }) {
  const side = params.get('side') === 'checker' ? 'checker' : 'owner';
  const selected = parts[0] || null;
  const listBox = h('div.inbox-list', { 'aria-live': 'polite' }, loading('Loading hits'));
  const detail = h('div.inbox-detail');
  const tab = (s, label) => h('a', { href: `#/inbox?side=${s}`, 'aria-current': s === side ? 'page' : null, class: 'tab' }, label);
  main.append(h('h1', 'Hit inbox'),
    h('nav.tabs', { 'aria-label': 'Hit inbox sides' }, tab('owner', `Hits on ${me.agency} records`), tab('checker', `Checks by ${me.agency}`)),
    h('p.hint', { id: 'live-mode' }, ''),
    h('div.inbox', listBox, detail));
  const mode = () => { document.getElementById('live-mode').textContent = live.mode === 'stream' ? 'Live: new hits appear here as they arrive.' : live.mode === 'poll' ? 'Live: checking for new hits every few seconds.' : ''; };
  mode();
  const refresh = () => loadList(side, me, listBox, selected, go, side);
  refresh();
  if (selected) loadDetail(selected, me, detail, false, refresh); else detail.append(empty('Choose a hit to see its details and messages.'));
  const off = live.on((type, hit) => {
    mode();
    refresh();
    if (selected && hit.id === selected) loadDetail(selected, me, detail, true, refresh);
  });
  return off;
}

async function loadList(side, me, out, selected, go) {
  try {
    const res = await get(`/api/v1/hits${q({ side, limit: 100 })}`);
    const list = res?.hits || [];
    if (side === 'owner') live.setPending(list.filter((x) => x.state === 'pending').length);
    clear(out, list.length
      ? h('ul.hitrows', list.map((x) => h('li', { dataset: { hit: x.id, state: x.state }, class: x.id === selected ? 'selected' : '' },
        h('a', { href: `#/inbox/${encodeURIComponent(x.id)}?side=${side}`, 'aria-current': x.id === selected ? 'true' : null },
          h('span.hit-row-head', badge(x.state), ' ', h('strong', x.name ? name(x.name) : x.kind === 'document' && x.query?.number ? `document ${x.query.state || ''} ${x.query.number}` : x.kind), ' ', score(x.score)),
          h('span.meta', `${x.kind} · checked by ${x.checking_agency}${x.checking_user ? ' (' + x.checking_user + ')' : ''} · owner ${x.owner} · ${fmtTime(x.created)}`)))))
      : empty(side === 'owner' ? 'No hit on your agency’s records yet. New ones appear here as soon as another agency’s check matches.' : 'Your agency’s checks have raised no hit on another agency’s records.'));
  } catch (err) {
    clear(out, errorBox(err, () => loadList(side, me, out, selected, go)));
  }
}

// onChange: the list to refresh after this user's own decision or message
// (the stream brings it too, but the user should not wait for it).
async function loadDetail(id, me, out, quiet, onChange = () => {}) {
  if (!quiet) clear(out, loading('Loading the hit'));
  try {
    const x = await get(`/api/v1/hits/${encodeURIComponent(id)}`);
    const owner = x.owner === me.agency;
    const canDecide = owner && x.state === 'pending' && ['officer', 'analyst', 'supervisor'].includes(me.role);
    const note = h('input', { name: 'note', autocomplete: 'off' });
    const msg = h('div', { 'aria-live': 'polite' });
    const act = async (what) => {
      try {
        await post(`/api/v1/hits/${encodeURIComponent(id)}/${what}`, note.value.trim() ? { note: note.value.trim() } : {});
        announce(`Hit ${id} ${what === 'confirm' ? 'confirmed' : what === 'false-match' ? 'marked as a false match' : 'closed'}.`);
        loadDetail(id, me, out, true, onChange);
        onChange();
      } catch (err) { msg.replaceChildren(errorBox(err)); }
    };
    const text = h('textarea', { name: 'message', rows: 2, dir: 'auto' });
    const send = h('form.thread-form', field('Message to the other agency', text), h('button', { type: 'submit' }, 'Send message'));
    send.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!text.value.trim()) return;
      try { await post(`/api/v1/hits/${encodeURIComponent(id)}/messages`, { text: text.value.trim() }); text.value = ''; loadDetail(id, me, out, true, onChange); } catch (err) { msg.replaceChildren(errorBox(err)); }
    });
    clear(out,
      h('h2', 'Hit ', x.id, ' ', h('span.hit-state', { dataset: { state: x.state } }, badge(x.state))),
      kv([['Kind', x.kind], ['Checked by', `${x.checking_agency}${x.checking_user ? ' · ' + x.checking_user : ''}`], ['Owner', x.owner],
        ['Record', x.record ? h('a', { href: `#/person/${encodeURIComponent(x.record)}` }, x.name ? name(x.name) : x.record)
          : x.kind === 'document' ? null : (x.name ? name(x.name) : `Restricted: contact ${x.contact || x.owner}`)],
        ['Document', x.document ? `${x.document}${x.query?.state ? ' · ' + x.query.state : ''}${x.query?.number ? ' ' + x.query.number : ''}` : null], ['What was screened', x.query && typeof x.query === 'object' ? Object.entries(x.query).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ') : ''], ['Score', x.score != null ? x.score.toFixed(2) : ''], ['Decision', x.decision],
        ['Notice', x.notice ? `${x.notice.kind} · requested action: ${x.notice.action}` : ''], ['Created', fmtTime(x.created)], ['Updated', fmtTime(x.updated)]]),
      canDecide ? h('div.actions', field('Note (optional)', note),
        h('div.row', h('button', { type: 'button', onclick: () => act('confirm') }, 'Confirm hit'),
          h('button.secondary', { type: 'button', onclick: () => act('false-match') }, 'False match'))) : null,
      owner && ['confirmed', 'false-match'].includes(x.state) ? h('button.secondary', { type: 'button', onclick: () => act('close') }, 'Close hit') : null,
      !owner && x.state === 'pending' ? h('p.hint', `Waiting for ${x.owner} to confirm or reject this hit.`) : null,
      msg,
      h('h3', 'Messages'),
      (x.messages || []).length ? h('ol.thread', x.messages.map((m) => h('li', { class: m.agency === me.agency ? 'mine' : 'theirs' },
        h('span.meta', `${m.user} · ${m.agency} · ${fmtTime(m.time)}`), h('p', { dir: 'auto' }, m.text)))) : empty('No message yet.'),
      send,
      (x.events || []).length ? h('details', h('summary', 'History'), h('ol', x.events.map((ev) => h('li', `${fmtTime(ev.time)} ${ev.agency} ${ev.user}: ${ev.event}`)))) : null);
  } catch (err) {
    clear(out, errorBox(err, () => loadDetail(id, me, out, false, onChange)));
  }
}
