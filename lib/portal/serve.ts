/**
 * A static file server for browsing a built portal at http://127.0.0.1:<port>/ — the site also opens from
 * the file system; this is for browsers or proxies that restrict file:// pages. Serves only files under the
 * site's folder, only to this machine.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The file a request path names inside `root`, or undefined when it escapes it or does not exist. */
export function resolveRequest(root: string, url: string): string | undefined {
  let pathname: string;
  try {
    // Prefixing the origin keeps `//name` a path: `new URL('//name', base)` would read `name` as a host.
    pathname = decodeURIComponent(new URL(`http://localhost${url.startsWith('/') ? '' : '/'}${url}`).pathname);
  } catch {
    return undefined;
  }
  const target = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  const inside = path.relative(path.resolve(root), target);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return fs.existsSync(target) && fs.statSync(target).isFile() ? target : undefined;
}

export function servePortal(root: string, port: number): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const file = resolveRequest(root, request.url ?? '/');
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(file ? 'method not allowed\n' : 'not found\n');
      return;
    }
    const headers = {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      // The site loads nothing from elsewhere; saying so keeps it that way in a browser.
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    };
    if (request.method === 'HEAD') {
      response.writeHead(200, headers);
      response.end();
      return;
    }
    // Headers go out once the file is open, so a file removed or unreadable since the check is a 404 for
    // this request and never an unhandled error that stops the server.
    const stream = fs.createReadStream(file);
    stream.once('open', () => {
      response.writeHead(200, headers);
      stream.pipe(response);
    });
    stream.once('error', () => {
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('not found\n');
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
