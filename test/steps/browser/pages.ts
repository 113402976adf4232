/**
 * The pages the browser tests drive, served by a real HTTP server on 127.0.0.1 (port 0), one per
 * test file. /login is a form whose greeting appears 400 ms after "Sign in", as a slow backend's
 * would; /slow never answers; the server counts the requests of each path.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const LOGIN = `<!doctype html>
<html><head><title>Sign in</title>
<style>#greeting { display: block; width: 200px; height: 40px; margin: 0; } body { margin: 8px; }</style></head>
<body>
<h1>Sign in</h1>
<form id="login-form">
  <input id="user" name="user">
  <input id="password" name="password" type="password">
  <select id="role"><option value="viewer">Viewer</option><option value="admin">Administrator</option></select>
  <button type="submit">Sign in</button>
</form>
<p id="secret" hidden>not shown</p>
<input id="keys-input"><span id="keys"></span>
<ul><li class="row">1</li><li class="row">2</li><li class="row">3</li></ul>
<script>
  const form = document.getElementById('login-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = document.getElementById('user').value;
    const role = document.getElementById('role').value;
    setTimeout(() => {
      form.hidden = true;
      document.querySelector('h1').textContent = 'Dashboard';
      document.title = 'Dashboard';
      const greeting = document.createElement('p');
      greeting.id = 'greeting';
      greeting.textContent = 'Welcome, ' + user + ' (' + role + ')';
      document.body.append(greeting);
      const out = document.createElement('a');
      out.href = '/logout';
      out.textContent = 'Log out';
      document.body.append(out);
      history.pushState({}, '', '/dashboard');
    }, 400);
  });
  const keys = [];
  document.getElementById('keys-input').addEventListener('keydown', (event) => {
    if (['Control', 'Shift', 'Alt', 'Meta'].includes(event.key)) return;
    keys.push((event.ctrlKey ? 'Control+' : '') + event.key);
    document.getElementById('keys').textContent = keys.join(' ');
  });
</script>
</body></html>`;

export interface PageServer {
  readonly base: string;
  /** How many times each path was requested. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/** Serves /login on 127.0.0.1, port 0. */
export async function servePages(): Promise<PageServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    // A page that never answers: closed with the server.
    if (path === '/slow') return;
    res.writeHead(path === '/login' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(path === '/login' ? LOGIN : '<title>Not found</title>not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
