/**
 * `npm run bench`: the platform against a plain CDK app that creates the same resources (test/bench/plain-app),
 * side by side through the CDK CLI, interleaved, with medians and ratios; then one domain of a large mesh
 * against a mesh of that one domain, and `mesh validate`, cold (no caches) and warm. CDK's built-in
 * CloudFormation validator is off on both sides (it runs in its own CI step).
 *   npm run bench                  every figure
 *   npm run bench -- --quick       5×10 and one domain of 50×20 only, 3 runs (a smoke run)
 *   npm run bench -- --runs 7      runs per side (default 5; 3 for 200×50)
 *   npm run bench -- --json        the figures as JSON
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, writeBenchMesh } from './bench-mesh';
import { type Measured, median, runOnce, runPair, type Sample } from './measure';
import { domainName } from './synthetic-mesh';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const RUNS = Number(flags.runs ?? (flags.quick ? 3 : 5));
const CDK = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk');
const PLATFORM_APP = `node ${path.join(PROJECT_ROOT, 'bin', 'app.cjs')}`;
// tsx by path: the app runs in the mesh folder, which has no node_modules of its own.
const TSX = require.resolve('tsx/cjs');
const PLAIN_APP = `node --require ${TSX} ${path.join(PROJECT_ROOT, 'test', 'bench', 'plain-app', 'app.ts')}`;
const MESH_CLI = path.join(PROJECT_ROOT, 'bin', 'mesh.cjs');
const NO_VALIDATION = { CDK_VALIDATION: 'false' };

/** The context the plain app builds a synthetic mesh of the same shape from (test/bench/plain-app/app.ts). */
function plainContext(shape: { domains: number; productsPerDomain: number }): Record<string, string> {
  return {
    'plain:domains': String(shape.domains),
    'plain:products': String(shape.productsPerDomain),
    'plain:builds': 'false',
  };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
const progress = (text: string) => {
  if (process.stderr.isTTY && !flags.json) process.stderr.write(`\r\x1b[K${text}`);
};

interface Shape {
  readonly domains: number;
  readonly products: number;
}

const meshes = new Map<string, string>();
function meshOf(shape: Shape): string {
  const name = `${shape.domains}x${shape.products}`;
  const existing = meshes.get(name);
  if (existing) return existing;
  progress(`writing the ${shape.domains}×${shape.products} mesh …`);
  const dir = path.join(work, name);
  writeBenchMesh(dir, { domains: shape.domains, productsPerDomain: shape.products });
  meshes.set(name, dir);
  return dir;
}

/** Everything a run may reuse: the mesh's own caches, the app and CLI bundles, tsx's compile cache. */
function coldStart(mesh: string): void {
  fs.rmSync(path.join(mesh, 'node_modules'), { recursive: true, force: true });
  for (const name of fs.readdirSync(path.join(PROJECT_ROOT, 'node_modules', '.cache', 'mesh'))) {
    if (name.startsWith('app-') || name.startsWith('cli-'))
      fs.rmSync(path.join(PROJECT_ROOT, 'node_modules', '.cache', 'mesh', name));
  }
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (name.startsWith('tsx-')) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function cdkSynth(label: string, mesh: string, app: string, extra: string[], cold: boolean): Measured {
  const out = path.join(work, 'out', label.replace(/\W+/g, '-'));
  return {
    label,
    cwd: mesh,
    command: CDK,
    args: ['synth', '--quiet', '--no-notices', '--app', app, '-o', out, ...extra],
    env: NO_VALIDATION,
    before: () => {
      fs.rmSync(out, { recursive: true, force: true });
      if (cold) coldStart(mesh);
    },
  };
}

function platformSynth(shape: Shape, options: { domain?: string; cold?: boolean } = {}): Measured {
  const extra = options.domain ? ['-c', `domain=${options.domain}`] : [];
  return cdkSynth(
    `platform ${shape.domains}×${shape.products}${options.domain ? ` -c domain=${options.domain}` : ''}${options.cold ? ' cold' : ''}`,
    meshOf(shape),
    PLATFORM_APP,
    extra,
    options.cold ?? false,
  );
}

function plainSynth(shape: Shape, options: { cold?: boolean } = {}): Measured {
  const context = Object.entries(plainContext({ domains: shape.domains, productsPerDomain: shape.products })).flatMap(
    ([key, value]) => ['-c', `${key}=${value}`],
  );
  return cdkSynth(
    `plain ${shape.domains}×${shape.products}${options.cold ? ' cold' : ''}`,
    meshOf(shape),
    PLAIN_APP,
    context,
    options.cold ?? false,
  );
}

/** The app run directly by node, as the CLI would run it, without the CLI around it. */
function direct(label: string, mesh: string, app: string, context: Record<string, unknown>): Measured {
  const out = path.join(work, 'out', label.replace(/\W+/g, '-'));
  const cdkJson = JSON.parse(fs.readFileSync(path.join(mesh, 'cdk.json'), 'utf8')) as { context: object };
  const [command, ...args] = app.split(' ');
  return {
    label,
    cwd: mesh,
    command,
    args,
    env: {
      ...NO_VALIDATION,
      CDK_OUTDIR: out,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context }),
    },
    before: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}

/** One in-process synth (synth-child.ts), with or without the policy engine: the engine's own share. */
function inProcess(label: string, mesh: string, extra: string[]): Measured {
  const out = path.join(work, 'out', label.replace(/\W+/g, '-'));
  return {
    label,
    cwd: mesh,
    command: process.execPath,
    args: ['--require', TSX, path.join(__dirname, 'synth-child.ts'), mesh, out, '--cli-context', ...extra],
    before: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}

function validate(shape: Shape, cold: boolean): Measured {
  const mesh = meshOf(shape);
  return {
    label: `validate ${shape.domains}×${shape.products}${cold ? ' cold' : ''}`,
    cwd: mesh,
    command: process.execPath,
    args: [MESH_CLI, '--root', mesh, 'validate', '--json'],
    before: cold ? () => coldStart(mesh) : undefined,
  };
}

interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio?: number;
  readonly value: number;
  readonly goal: string;
  readonly met: boolean;
}

const rows: Row[] = [];
const ms = (samples: readonly Sample[]) => median(samples.map((s) => s.wallMs));
const rss = (samples: readonly Sample[]) => median(samples.map((s) => s.appRssMb));
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

function compare(
  figure: string,
  a: Measured,
  b: Measured,
  goal: number | undefined,
  runs = RUNS,
  memory = false,
  warmUp = true,
) {
  progress(`${figure} (${runs} runs each) …`);
  const result = runPair(a, b, runs, warmUp);
  const ratio = ms(result.a) / ms(result.b);
  rows.push({
    figure,
    measured: seconds(ms(result.a)),
    baseline: seconds(ms(result.b)),
    ratio,
    value: ratio,
    goal: goal === undefined ? '' : `≤ ${goal.toFixed(2)}x`,
    met: goal === undefined || ratio <= goal,
  });
  if (memory) {
    const memoryRatio = rss(result.a) / rss(result.b);
    rows.push({
      figure: `${figure}: peak memory of the app`,
      measured: `${rss(result.a)} MB`,
      baseline: `${rss(result.b)} MB`,
      ratio: memoryRatio,
      value: memoryRatio,
      goal: '≤ 1.30x',
      met: memoryRatio <= 1.3,
    });
  }
}

function absolute(figure: string, target: Measured, goalMs: number | undefined, runs = RUNS, warmUp = true) {
  progress(`${figure} (${runs} runs) …`);
  if (warmUp) runOnce(target);
  const samples = Array.from({ length: runs }, () => runOnce(target));
  const value = ms(samples);
  rows.push({
    figure,
    measured: seconds(value),
    baseline: '',
    value,
    goal: goalMs === undefined ? '' : `≤ ${seconds(goalMs)}`,
    met: goalMs === undefined || value <= goalMs,
  });
}

const load = os.loadavg();
const started = performance.now();
try {
  const s5x10 = { domains: 5, products: 10 };
  const s50x20 = { domains: 50, products: 20 };
  const s1x20 = { domains: 1, products: 20 };
  compare('cdk synth 5×10: platform / plain CDK', platformSynth(s5x10), plainSynth(s5x10), undefined);
  if (!flags.quick) {
    const s20x25 = { domains: 20, products: 25 };
    compare('cdk synth 20×25: platform / plain CDK', platformSynth(s20x25), plainSynth(s20x25), undefined);
    compare('cdk synth 50×20: platform / plain CDK', platformSynth(s50x20), plainSynth(s50x20), 1.3, RUNS, true);
    compare(
      'cdk synth 50×20 cold (no caches): platform / plain CDK',
      platformSynth(s50x20, { cold: true }),
      plainSynth(s50x20, { cold: true }),
      undefined,
      3,
      false,
      false,
    );
    const m50 = meshOf(s50x20);
    compare(
      'node app 50×20 (direct path): platform / plain CDK',
      direct('direct platform 50×20', m50, PLATFORM_APP, {}),
      direct('direct plain 50×20', m50, PLAIN_APP, plainContext({ domains: 50, productsPerDomain: 20 })),
      1.5,
    );
    compare(
      'synth 50×20 in-process: policies on / off (engine share)',
      inProcess('governance on', m50, []),
      inProcess('governance off', m50, ['--no-governance']),
      1.1,
    );
  }
  const middle = domainName(25);
  compare(
    `one domain of 50×20 (-c domain=${middle}) / a 1×20 mesh`,
    platformSynth(s50x20, { domain: middle }),
    platformSynth(s1x20),
    1.2,
  );
  if (!flags.quick) {
    const s200x50 = { domains: 200, products: 50 };
    const s1x50 = { domains: 1, products: 50 };
    const middle200 = domainName(100);
    compare(
      `one domain of 200×50 (-c domain=${middle200}) / a 1×50 mesh`,
      platformSynth(s200x50, { domain: middle200 }),
      platformSynth(s1x50),
      1.2,
      3,
    );
    absolute('mesh validate 50×20, warm', validate(s50x20, false), 1000);
    absolute('mesh validate 50×20, cold', validate(s50x20, true), undefined, 3, false);
    absolute('mesh validate 200×50, warm', validate(s200x50, false), 3000, 3);
    absolute('mesh validate 200×50, cold', validate(s200x50, true), undefined, 2, false);
  }
} finally {
  progress('');
  fs.rmSync(work, { recursive: true, force: true });
}

const machine = `${os.cpus().length} cores, Node ${process.version}, load average before ${load.map((l) => l.toFixed(2)).join(' ')}, after ${os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')}; ${RUNS} interleaved runs per side (medians), ${((performance.now() - started) / 60000).toFixed(1)} min`;
if (flags.json) {
  process.stdout.write(`${JSON.stringify({ machine, rows }, null, 2)}\n`);
} else {
  const table = [
    ['figure', 'platform', 'baseline', 'ratio', 'goal', ''],
    ...rows.map((r) => [
      r.figure,
      r.measured,
      r.baseline,
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
      r.goal,
      r.goal ? (r.met ? 'met' : 'NOT MET') : '',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(table[0])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  process.stdout.write(`${table.slice(1).map(line).join('\n')}\n\n${machine}\n`);
}
