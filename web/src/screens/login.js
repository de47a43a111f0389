// Sign-in: user name, password and, for users with TOTP enabled, the
// six-digit code. One answer for every failure, as the server gives.
import { api, session } from '../api.js';
import { h, field, announce } from '../ui.js';

export function loginScreen(main, { onSignedIn }) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = h('input', { name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' });
  const msg = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form.card.login', { novalidate: false },
    h('h1', 'Sign in to ctwatch'),
    field('User name', user),
    field('Password', pass),
    field('One-time code (if two-step sign-in is on for you)', totp, 'Six digits from your authenticator app; leave empty otherwise.'),
    msg, btn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    btn.disabled = true;
    btn.textContent = 'Signing in…';
    msg.replaceChildren();
    try {
      const body = { username: user.value.trim(), password: pass.value };
      if (totp.value.trim()) body.totp = totp.value.trim();
      const res = await api('POST', '/api/v1/login', body, { noRedirect: true });
      session.set({ token: res.token, user: res.user, agency: res.agency, role: res.role });
      pass.value = '';
      announce(`Signed in as ${res.user}.`);
      await onSignedIn();
    } catch (err) {
      const text = err.status === 401 ? 'Sign-in failed: the user name, password or one-time code is not right.'
        : err.status === 429 ? `Too many attempts. ${err.message}` : err.message;
      msg.replaceChildren(h('p.state.error', { role: 'alert' }, text));
      pass.focus();
    } finally {
      btn.disabled = false;
      btn.textContent = 'Sign in';
    }
  });
  main.append(form);
  setTimeout(() => user.focus(), 0);
}
