#!/usr/bin/env node
// The demo admin site of examples/browser-login.yaml: a login form, a session cookie, and an
// admin page whose greeting arrives from an API call a moment after the page loads (as a real
// one would), so the workflow has something to wait for.
//
//   DEMO_ADMIN_PASSWORD=demo node examples/browser-login-server.mjs 8089
//
// Listens on 127.0.0.1 only (port 0 picks a free one) and prints `listening on URL` when ready.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const password = process.env.DEMO_ADMIN_PASSWORD ?? 'demo';
const sessions = new Map();

const page = (title, body) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body { font-family: sans-serif; margin: 40px; } label { display: block; margin: 8px 0; } #error { color: #b00; }</style>
</head><body>${body}</body></html>`;

const loginPage = (error = '') => page('Sign in', `<h1>Sign in</h1>
<p id="error">${error}</p>
<form method="post" action="/login">
  <label>User <input id="user" name="user" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>`);

const adminPage = page('Admin', `<h1>Admin</h1>
<p id="greeting">Loading...</p>
<script>
  setTimeout(async () => {
    const me = await (await fetch('/api/me')).json();
    document.getElementById('greeting').textContent = 'Welcome, ' + me.user + '!';
  }, 300);
</script>`);

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function userOf(req) {
  const cookie = /(?:^|;\s*)session=([0-9a-f]+)/.exec(req.headers.cookie ?? '');
  return cookie ? sessions.get(cookie[1]) : undefined;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

async function signIn(req, res) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const user = form.get('user') ?? '';
  if (user === '' || form.get('password') !== password) return send(res, 401, loginPage('Wrong user or password'));
  const id = randomBytes(16).toString('hex');
  sessions.set(id, user);
  send(res, 303, '', { location: '/admin', 'set-cookie': `session=${id}; HttpOnly; SameSite=Strict; Path=/` });
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const user = userOf(req);
  if (path === '/login' && req.method === 'POST') return void signIn(req, res);
  if (path === '/login' || path === '/') return send(res, 200, loginPage());
  if (path === '/admin') return user ? send(res, 200, adminPage) : send(res, 303, '', { location: '/login' });
  if (path === '/api/me' && user) return send(res, 200, JSON.stringify({ user: escape(user) }), { 'content-type': 'application/json' });
  send(res, 404, page('Not found', '<h1>Not found</h1>'));
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
