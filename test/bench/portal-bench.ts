/**
 * Portal benchmark: builds the data portal of generated meshes (synthetic-mesh.ts), each run in a fresh
 * process as `mesh portal build` runs, and prints per shape the medians of loading the definitions, the
 * metrics (no assembly: nothing is synthesized) and building plus writing the site, the peak memory, and
 * what was written: total size, files, pages, the largest page and the search index.
 *   npm run bench:portal                              5×20 (3 runs) and 50×20 (1 run)
 *   npm run bench:portal -- --shapes 5x20,20x25       domains × products per domain
 *   npm run bench:portal -- --runs 5                  runs of every shape
 *   npm run bench:portal -- --cold                    empty the definitions cache before every run
 *   npm run bench:portal -- --json                    the figures as JSON
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts } from '../../lib/mesh/model';
import { portalMetrics } from '../../lib/metrics';
import { buildSite, writeSite } from '../../lib/portal/build-site';
import { writeSyntheticMesh } from './synthetic-mesh';

/** What one run measured, printed by the child as its last line of JSON. */
interface RunResult {
  readonly products: number;
  readonly loadMs: number;
  readonly metricsMs: number;
  readonly buildSiteMs: number;
  readonly writeSiteMs: number;
  readonly bytes: number;
  readonly files: number;
  readonly pages: number;
  readonly largestPage: { readonly path: string; readonly bytes: number };
  readonly searchIndexBytes: number;
  readonly maxRssMb: number;
}

const TODAY = '2026-03-01';

/** One build in this process: `--child <mesh> <out>`. */
function child(meshDir: string, outDir: string): void {
  let started = performance.now();
  const mesh = loadMesh({ root: meshDir });
  const loadMs = performance.now() - started;
  started = performance.now();
  // The mesh folder holds no cdk.out and a portal build never synthesizes: autonomy and compliance are unknown.
  const metrics = portalMetrics({ mesh, root: meshDir, today: TODAY });
  const metricsMs = performance.now() - started;
  started = performance.now();
  const files = buildSite({ mesh, today: TODAY, metrics });
  const buildSiteMs = performance.now() - started;
  started = performance.now();
  const bytes = writeSite(outDir, files);
  const writeSiteMs = performance.now() - started;
  const pages = files.filter((f) => f.path.endsWith('.html'));
  const sizes = pages.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.content) }));
  const largestPage = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const index = files.find((f) => f.path === 'assets/search-index.js');
  const result: RunResult = {
    products: allProducts(mesh).length,
    loadMs,
    metricsMs,
    buildSiteMs,
    writeSiteMs,
    bytes,
    files: files.length,
    pages: pages.length,
    largestPage,
    searchIndexBytes: index ? Buffer.byteLength(index.content) : 0,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Shape {
  readonly domains: number;
  readonly products: number;
}

function parseShapes(text: string): Shape[] {
  return text.split(',').map((part) => {
    const match = /^(\d+)[x×](\d+)$/.exec(part.trim());
    if (!match) throw new Error(`--shapes: "${part}" is not <domains>x<products per domain>, e.g. 5x20`);
    return { domains: Number(match[1]), products: Number(match[2]) };
  });
}

/** Default runs: 3 for a small mesh, 1 from 500 products (a 50×20 build takes tens of seconds). */
const defaultRuns = (shape: Shape) => (shape.domains * shape.products >= 500 ? 1 : 3);

function runChild(meshDir: string, outDir: string): RunResult & { wallMs: number } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', meshDir, outDir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  const wallMs = performance.now() - started;
  return { ...(JSON.parse(stdout.trim().split('\n').pop() as string) as RunResult), wallMs };
}

interface ShapeResult {
  readonly shape: string;
  readonly products: number;
  readonly runs: number;
  /** Medians, ms. */
  readonly loadMs: number;
  readonly metricsMs: number;
  readonly buildSiteMs: number;
  readonly writeSiteMs: number;
  /** buildSite + writeSite. */
  readonly buildMs: number;
  /** The whole child process: start-up, loading tsx, every phase. */
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly bytes: number;
  readonly files: number;
  readonly pages: number;
  readonly largestPage: { readonly path: string; readonly bytes: number };
  readonly searchIndexBytes: number;
}

function main(): void {
  const { values: flags } = parseArgs({
    options: {
      shapes: { type: 'string', default: '5x20,50x20' },
      runs: { type: 'string' },
      cold: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (flags.child) {
    const [meshDir, outDir] = process.argv.slice(process.argv.indexOf('--child') + 1);
    child(meshDir, outDir);
    return;
  }
  const shapes = parseShapes(flags.shapes);
  const progress = (text: string) => {
    if (process.stderr.isTTY && !flags.json) process.stderr.write(`\r\x1b[K${text}`);
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-portal-bench-'));
  const load = os.loadavg();
  const started = performance.now();
  const results: ShapeResult[] = [];
  try {
    for (const shape of shapes) {
      const name = `${shape.domains}×${shape.products}`;
      const runs = flags.runs ? Number(flags.runs) : defaultRuns(shape);
      const meshDir = path.join(work, `${shape.domains}x${shape.products}`);
      progress(`writing the ${name} mesh …`);
      writeSyntheticMesh(meshDir, { domains: shape.domains, productsPerDomain: shape.products });
      const cache = path.join(meshDir, 'node_modules', '.cache');
      // Unmeasured: fills the definitions cache, as an earlier `mesh validate` or build has for a user.
      if (!flags.cold) loadMesh({ root: meshDir });
      const samples: (RunResult & { wallMs: number })[] = [];
      for (let run = 0; run < runs; run++) {
        progress(`${name}: run ${run + 1}/${runs} …`);
        if (flags.cold) fs.rmSync(cache, { recursive: true, force: true });
        const outDir = path.join(work, 'out');
        samples.push(runChild(meshDir, outDir));
        fs.rmSync(outDir, { recursive: true, force: true });
      }
      const m = (pick: (s: RunResult & { wallMs: number }) => number) => median(samples.map(pick));
      const last = samples[samples.length - 1];
      results.push({
        shape: name,
        products: last.products,
        runs,
        loadMs: m((s) => s.loadMs),
        metricsMs: m((s) => s.metricsMs),
        buildSiteMs: m((s) => s.buildSiteMs),
        writeSiteMs: m((s) => s.writeSiteMs),
        buildMs: m((s) => s.buildSiteMs + s.writeSiteMs),
        wallMs: m((s) => s.wallMs),
        maxRssMb: m((s) => s.maxRssMb),
        bytes: last.bytes,
        files: last.files,
        pages: last.pages,
        largestPage: last.largestPage,
        searchIndexBytes: last.searchIndexBytes,
      });
      fs.rmSync(meshDir, { recursive: true, force: true });
    }
  } finally {
    progress('');
    fs.rmSync(work, { recursive: true, force: true });
  }

  const machine = `${os.cpus().length} cores, Node ${process.version}, load average before ${load.map((l) => l.toFixed(2)).join(' ')}, after ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )}; definitions cache ${flags.cold ? 'emptied before every run (cold)' : 'warm'}; ${((performance.now() - started) / 60000).toFixed(1)} min`;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
    return;
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const table = [
    [
      'mesh',
      'products',
      'runs',
      'load',
      'metrics',
      'buildSite',
      'writeSite',
      'build (site+write)',
      'process wall',
      'peak RSS',
      'total size',
      'files',
      'pages',
      'largest page',
      'its size',
      'search-index.js',
    ],
    ...results.map((r) => [
      r.shape,
      String(r.products),
      String(r.runs),
      seconds(r.loadMs),
      seconds(r.metricsMs),
      seconds(r.buildSiteMs),
      seconds(r.writeSiteMs),
      seconds(r.buildMs),
      seconds(r.wallMs),
      `${r.maxRssMb} MB`,
      `${(r.bytes / 1e6).toFixed(1)} MB`,
      String(r.files),
      String(r.pages),
      r.largestPage.path,
      kb(r.largestPage.bytes),
      kb(r.searchIndexBytes),
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(table[0])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  process.stdout.write(`${table.slice(1).map(line).join('\n')}\n\nmedians of the runs; ${machine}\n`);
}

main();
