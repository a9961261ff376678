/**
 * `mesh portal serve`'s file server: the site's files on 127.0.0.1, index.html for `/`, 404 for what is not
 * there, and nothing outside the site's folder however the path is written.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSite } from '../../lib/portal/build-site';
import { resolveRequest, servePortal } from '../../lib/portal/serve';

/** Makes the server's next read fail as if the file went away between the check and the read. */
const readFails = { next: false };
jest.mock('node:fs', () => {
  const actual = jest.requireActual('node:fs');
  return {
    ...actual,
    createReadStream: (file: string, ...rest: unknown[]) => {
      if (!readFails.next) return actual.createReadStream(file, ...rest);
      readFails.next = false;
      return actual.createReadStream(`${file}.gone`);
    },
  };
});

const SECRET = 'secret beside the site: must never be served';
const INDEX = '<!doctype html><title>home</title><h1>Data products</h1>';

let work: string;
let site: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-serve-'));
  site = path.join(work, 'site');
  // What a path escaping the site would reach: files beside and above it.
  fs.writeFileSync(path.join(work, 'package.json'), SECRET);
  fs.writeFileSync(path.join(work, 'site-secret.html'), SECRET);
  writeSite(site, [
    { path: 'index.html', content: INDEX },
    { path: 'products/sales/orders.html', content: '<h1>Orders</h1>' },
    { path: 'assets/portal.css', content: 'body { margin: 0 }' },
    { path: 'assets/search.js', content: 'window.x = 1;' },
    { path: 'contracts/sales/orders.v1.odcs.yaml', content: 'kind: DataContract\n' },
  ]);
  server = await servePortal(site, 0);
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with the path sent exactly as given (fetch would normalize `..` away before sending it). */
function request(rawPath: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('servePortal', () => {
  it('listens on 127.0.0.1 only, on the port the system chose for port 0', () => {
    const address = server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
  });

  it('serves index.html at / as HTML, with a policy that allows nothing from elsewhere', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toBe(INDEX);
  });

  it('serves pages, assets and contracts with their types, and a query string does not matter', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/products/sales/orders.html?q=orders#lineage`);
    expect([page.status, await page.text()]).toEqual([200, '<h1>Orders</h1>']);
    const types = await Promise.all(
      ['/assets/portal.css', '/assets/search.js', '/contracts/sales/orders.v1.odcs.yaml'].map(async (p) => {
        const r = await fetch(`http://127.0.0.1:${port}${p}`);
        await r.text();
        return [r.status, r.headers.get('content-type')];
      }),
    );
    expect(types).toEqual([
      [200, 'text/css; charset=utf-8'],
      [200, 'text/javascript; charset=utf-8'],
      [200, 'application/yaml; charset=utf-8'],
    ]);
  });

  it('answers 404 for a missing page, a folder and a malformed path', async () => {
    for (const p of ['/missing.html', '/products/sales/missing.html', '/products', '/products/', '/%E0%A4%A']) {
      const reply = await request(p);
      expect(`${p} ${reply.status} ${reply.body}`).toBe(`${p} 404 not found\n`);
    }
  });

  it.each([
    '/../package.json',
    '/%2e%2e%2fpackage.json',
    '/%2E%2E%2Fpackage.json',
    '/..%2fpackage.json',
    '/%2e%2e/package.json',
    '/products/..%2f..%2f..%2fpackage.json',
    '/products/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/../site-secret.html',
    '/%2e%2e%2fsite-secret.html',
  ])('refuses the path traversal %s with 404, and serves nothing from outside the site', async (p) => {
    const reply = await request(p);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('not found\n');
  });

  it('refuses traversal written for fetch too', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/%2e%2e%2fpackage.json`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
  });

  it('reads a path that starts with // as a path inside the site, never as a host', async () => {
    const outside = await request('//package.json');
    expect([outside.status, outside.body]).toEqual([404, 'not found\n']);
    const inside = await request('//products/sales/orders.html');
    expect([inside.status, inside.body]).toEqual([200, '<h1>Orders</h1>']);
  });

  it('answers 404 when the file cannot be read after the check, and goes on serving', async () => {
    readFails.next = true;
    const reply = await request('/products/sales/orders.html');
    expect([reply.status, reply.body]).toEqual([404, 'not found\n']);
    const next = await request('/products/sales/orders.html');
    expect([next.status, next.body]).toEqual([200, '<h1>Orders</h1>']);
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const head = await request('/index.html', 'HEAD');
    expect([head.status, head.body, head.headers['content-type']]).toEqual([200, '', 'text/html; charset=utf-8']);
    const post = await request('/index.html', 'POST');
    expect([post.status, post.body]).toEqual([405, 'method not allowed\n']);
  });
});

describe('resolveRequest', () => {
  it('maps / and page paths to files inside the site', () => {
    expect(resolveRequest(site, '/')).toBe(path.join(site, 'index.html'));
    expect(resolveRequest(site, '/products/sales/orders.html?x=1')).toBe(
      path.join(site, 'products', 'sales', 'orders.html'),
    );
  });

  it('gives nothing for paths outside the site, however encoded, or that do not exist', () => {
    for (const url of ['/../package.json', '/%2e%2e%2fpackage.json', '/..%5c..%5cpackage.json', '/missing', '/%']) {
      expect(`${url}: ${resolveRequest(site, url)}`).toBe(`${url}: undefined`);
    }
    // The secret exists, one level up: only the check keeps it out.
    expect(fs.readFileSync(path.join(site, '..', 'package.json'), 'utf8')).toBe(SECRET);
  });
});
