// The wallboard's shell: sign-in, the token (kept in sessionStorage: one browser tab, gone when it
// closes), REST calls with the bearer token, and the pages (#live, #report). Everything shown comes
// from this server with this token: the server scopes it to the token's tenant.
import { LivePage } from './live.js';
import { ReportPage } from './report.js';
import { $, ApiError } from './util.js';

const TOKEN_KEY = 'cti.wallboard.token';
const USER_KEY = 'cti.wallboard.user';
const SUPERVISING = new Set(['supervisor', 'admin']);

class App {
  constructor() {
    this.token = sessionStorage.getItem(TOKEN_KEY);
    this.user = JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
    this.live = new LivePage(this);
    this.report = new ReportPage(this);
  }

  /** REST with the bearer token; resolves to the parsed JSON (or the Response with raw), rejects with ApiError. */
  async api(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    if (this.token) {
      headers.Authorization = `Bearer ${this.token}`;
    }
    let body = options.body;
    if (body !== undefined && typeof body !== 'string') {
      body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const r = await fetch(path, { method: options.method || 'GET', headers, body, cache: 'no-store' });
    if (!r.ok) {
      let err = null;
      try {
        err = await r.json();
      } catch (e) {
        err = null;
      }
      const e = new ApiError(err, r.status);
      if (r.status === 401 && this.token) {
        this.signedOut(`${e.text()} — please sign in again`);
      }
      throw e;
    }
    return options.raw ? r : r.json();
  }

  start() {
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.signIn();
    });
    $('logout').addEventListener('click', () => this.signedOut(null));
    window.addEventListener('hashchange', () => this.route());
    this.report.init();
    this.route();
  }

  async signIn() {
    const error = $('login-error');
    error.hidden = true;
    const username = $('login-user').value.trim();
    const password = $('login-password').value;
    try {
      const r = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      const body = await r.json().catch(() => null);
      if (!r.ok) {
        throw new ApiError(body, r.status);
      }
      if (!SUPERVISING.has(body.user.role)) {
        // The token is simply dropped: nothing of the tenant was asked for with it.
        throw new Error(`The wallboard is for supervisors and administrators; ${body.user.username} is an ${body.user.role}. `
          + 'Agents use their desktop (softphone client).');
      }
      this.token = body.token;
      this.user = body.user;
      sessionStorage.setItem(TOKEN_KEY, this.token);
      sessionStorage.setItem(USER_KEY, JSON.stringify(this.user));
      $('login-password').value = '';
      if (location.hash === '#live' || location.hash === '') {
        location.hash = '#live';
        this.route();
      } else {
        location.hash = '#live';
      }
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.text() : e.message;
      error.hidden = false;
    }
  }

  /** Back to the sign-in page; {@code why} is shown there. */
  signedOut(why) {
    this.token = null;
    this.user = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    this.live.stop();
    this.report.reset();
    $('live-message').hidden = true;
    $('live-message').textContent = '';
    const error = $('login-error');
    error.textContent = why || '';
    error.hidden = !why;
    this.route();
  }

  route() {
    const signedIn = Boolean(this.token);
    const page = !signedIn ? 'login' : location.hash === '#report' ? 'report' : 'live';
    for (const p of ['login', 'live', 'report']) {
      $(`page-${p}`).hidden = p !== page;
    }
    $('nav').hidden = !signedIn;
    $('logout').hidden = !signedIn;
    $('connection').hidden = !signedIn;
    $('whoami').hidden = !signedIn;
    $('nav-live').classList.toggle('current', page === 'live');
    $('nav-report').classList.toggle('current', page === 'report');
    document.body.dataset.page = page;
    if (signedIn) {
      $('whoami').textContent = `${this.user.username} · ${this.user.tenant} · ${this.user.role}`;
      this.live.start(); // the live stream keeps running on the report page (the connection indicator stays true)
      if (page === 'report') {
        this.report.show();
      }
    } else {
      $('login-user').focus();
    }
  }
}

new App().start();
