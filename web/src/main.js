// main.js — the app shell: sign-in, the navigation for the user's role,
// a hash router (#/search, #/person/ID, ...) and the live hit feed.
import './style.css';
import { get, session, setUnauthorizedHandler } from './api.js';
import { h, clear, announce } from './ui.js';
import { hits } from './live.js';
import { loginScreen } from './screens/login.js';
import { searchScreen } from './screens/search.js';
import { personScreen } from './screens/person.js';
import { screenScreen } from './screens/screen.js';
import { manifestScreen } from './screens/manifest.js';
import { inboxScreen } from './screens/inbox.js';
import { noticesScreen } from './screens/notices.js';
import { rulesScreen } from './screens/rules.js';
import { auditScreen } from './screens/audit.js';
import { adminScreen } from './screens/admin.js';

// Who sees which screen: the server's least-privilege table (access.c),
// so that nobody is offered a screen whose every call would be refused.
const WORK = ['officer', 'analyst', 'supervisor', 'system-admin']; // screen, read records, rules
const NAV = [
  { path: 'search', label: 'Search', roles: WORK, screen: searchScreen },
  { path: 'screen', label: 'Screen', roles: WORK, screen: screenScreen },
  { path: 'manifest', label: 'Manifests', roles: WORK, screen: manifestScreen },
  { path: 'inbox', label: 'Hit inbox', roles: WORK, screen: inboxScreen },
  { path: 'notices', label: 'Notices', roles: WORK, screen: noticesScreen },
  { path: 'rules', label: 'Risk rules', roles: WORK, screen: rulesScreen },
  { path: 'audit', label: 'Audit', roles: ['auditor', 'system-admin'], screen: auditScreen },
  { path: 'admin', label: 'Administration', roles: ['agency-admin', 'system-admin'], screen: adminScreen },
];
const EXTRA = { person: { screen: personScreen, roles: WORK } };

const main = document.getElementById('main');
const top = document.getElementById('top');
let me = null;
let cleanup = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

export function go(path) { location.hash = `#/${path}`; }

function header() {
  if (!me) { clear(top, h('span.brand', 'ctwatch')); return; }
  const current = parseHash().parts[0] || defaultPath();
  const items = NAV.filter((n) => n.roles.includes(me.role));
  const badge = h('span.count', { id: 'hit-count', hidden: true }, '');
  clear(top,
    h('span.brand', 'ctwatch'),
    h('nav', { 'aria-label': 'Main' }, h('ul', items.map((n) => h('li',
      h('a', { href: `#/${n.path}`, 'aria-current': n.path === current ? 'page' : null },
        n.label, n.path === 'inbox' ? badge : null))))),
    h('div.who', h('span', `${me.user} · ${me.agency} · ${me.role}`),
      h('button.link', { type: 'button', onclick: signOut }, 'Sign out')));
  hits.renderCount();
}

async function signOut() {
  try { await fetch('/api/v1/logout', { method: 'POST', headers: { Authorization: `Bearer ${session.token()}` } }); } catch { /* gone anyway */ }
  session.clear();
  hits.stop();
  me = null;
  go('login');
  route();
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const { parts, params } = parseHash();
  if (!session.token()) {
    me = null;
    header();
    clear(main);
    loginScreen(main, { onSignedIn: async () => { await loadMe(); if (!me) return; go(defaultPath()); } });
    focusMain();
    return;
  }
  if (!me) { await loadMe(); if (!me) return; }
  const name = parts[0] || defaultPath();
  const entry = NAV.find((n) => n.path === name) || EXTRA[name];
  const screen = entry?.screen;
  header();
  clear(main);
  if (!screen || (entry?.roles && !entry.roles.includes(me.role))) {
    main.append(h('h1', 'Not found'), h('p', 'There is no such screen for your role. ', h('a', { href: '#/search' }, 'Go to search')));
  } else {
    cleanup = screen(main, { me, parts: parts.slice(1), params, go }) || null;
  }
  focusMain();
}

function defaultPath() {
  if (!me) return 'search';
  if (me.role === 'auditor') return 'audit';
  if (me.role === 'agency-admin') return 'admin';
  if (me.role === 'officer') return 'screen';
  return 'search';
}

function focusMain() {
  const h1 = main.querySelector('h1');
  (h1 || main).setAttribute('tabindex', '-1');
  (h1 || main).focus({ preventScroll: false });
  document.title = `${h1 ? h1.textContent + ' · ' : ''}ctwatch`;
}

async function loadMe() {
  try {
    me = await get('/api/v1/me', { noRedirect: true });
    hits.start(me);
  } catch (e) {
    me = null;
    session.clear();
    if (e.status !== 401) announce(`Cannot reach the server: ${e.message}`, true);
    route();
  }
}

setUnauthorizedHandler(() => {
  session.clear();
  hits.stop();
  me = null;
  announce('Your session has ended. Please sign in again.', true);
  route();
});

// The skip link must not become a route (#main): it moves the focus only.
document.querySelector('a.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', route);
route();
