// The login form: join as a guest or with a token. The credentials are kept in this tab's
// sessionStorage only (a reload or a reconnect reuses them; closing the tab forgets them).
// A game site can link here with the token in the fragment (#token=…), which never reaches
// any server's logs.

import { friendlyAuthError } from './text.js';

const STORAGE_KEY = 'mythos-chat-login';

export class LoginForm {
  // onLogin(credentials): credentials is { guest_name } or { token }, ready for the auth frame
  constructor(onLogin) {
    this.onLogin = onLogin;
    this.form = document.getElementById('login-form');
    this.guestName = document.getElementById('guest-name');
    this.token = document.getElementById('token');
    this.error = document.getElementById('login-error');
    this.form.addEventListener('change', () => this.showMode());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  get mode() {
    return this.form.elements.mode.value;
  }

  showMode() {
    document.getElementById('guest-fields').hidden = this.mode !== 'guest';
    document.getElementById('token-fields').hidden = this.mode !== 'token';
  }

  setMode(mode) {
    this.form.elements.mode.value = mode;
    this.showMode();
  }

  // Logs in without asking when the link carries a token or this tab already logged in.
  resume() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get('token')) {
      history.replaceState(null, '', location.pathname + location.search); // out of sight and history
      return this.onLogin(this.remember({ token: hash.get('token') }));
    }
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (saved && (saved.token || saved.guest_name)) return this.onLogin(saved);
    } catch {
      // unreadable: ask again
    }
    this.focus();
    return undefined;
  }

  submit() {
    this.error.textContent = '';
    if (this.mode === 'guest') {
      const name = this.guestName.value.trim();
      if (!name) return this.fail('Type the name you want to use.', this.guestName);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) return this.fail('Use only letters, digits, - and _ (at most 32).', this.guestName);
      return this.onLogin(this.remember({ guest_name: name }));
    }
    const token = this.token.value.trim();
    if (!token) return this.fail('Paste the token the game gave you.', this.token);
    return this.onLogin(this.remember({ token }));
  }

  remember(credentials) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
    } catch {
      // private mode without storage: a reload asks again, nothing else changes
    }
    return credentials;
  }

  forget() {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
  }

  // The server refused the login: back to the form with its reason.
  refused(message, credentials) {
    this.forget();
    if (credentials?.token) {
      this.setMode('token');
      this.token.value = credentials.token;
    } else if (credentials?.guest_name) {
      this.guestName.value = credentials.guest_name;
    }
    if (/guests are not allowed/.test(message)) this.setMode('token');
    this.fail(friendlyAuthError(message), this.mode === 'guest' ? this.guestName : this.token);
  }

  fail(text, field) {
    this.error.textContent = text;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    field.addEventListener('input', () => field.removeAttribute('aria-invalid'), { once: true });
  }

  focus() {
    (this.mode === 'guest' ? this.guestName : this.token).focus();
  }
}
