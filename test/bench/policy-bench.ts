/**
 * Policy benchmark: what governance costs on a 20 domains × 25 products synthetic mesh. Each repetition
 * synthesizes the same mesh in a fresh process without the policy engine, with it (platform rules alone,
 * then with the contract checks, as `cdk synth` runs it), and with cdk-nag's AwsSolutions pack instead;
 * modes are interleaved so machine noise hits all alike. Prints medians and the ratios against the run
 * without either.
 *
 * The main mesh is compliant, as a mesh in use is: the generated products get usage, limitations and a
 * support channel, and contract lock files are written. The mesh as generated (1,500 warnings) is measured
 * too: each finding is an annotation CDK carries into the manifest and its validation report.
 *   npm run bench            (both benchmarks)
 *   tsx test/bench/policy-bench.ts [repetitions]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts } from '../../lib/mesh/model';
import type { StackReport } from '../../lib/policies';
import { writeSyntheticMesh } from './synthetic-mesh';

const DOMAINS = 20;
const PRODUCTS = 25;
const REPETITIONS = Number(process.argv[2] ?? 5);
/** The engine's budget: at most 10% on top of synthesis. */
const TARGET_RATIO = 1.1;

interface Mode {
  readonly name: string;
  readonly flags: readonly string[];
}

const MODES: readonly Mode[] = [
  { name: 'without governance', flags: ['--no-governance'] },
  { name: 'policy engine (platform rules)', flags: ['--no-contracts'] },
  { name: 'policy engine + contract checks', flags: [] },
  { name: 'cdk-nag AwsSolutions', flags: ['--no-governance', '--cdk-nag'] },
].map((mode) => ({ ...mode, flags: [...mode.flags, '--cli-context'] }));

interface Run {
  readonly wallMs: number;
  readonly synthMs: number;
  readonly synthCpuMs: number;
  /** The engine's own time inside the synth phase, measured in the same process. */
  readonly engineMs?: number;
  readonly maxRssMb: number;
  readonly findings?: { errors: number; warnings: number; excepted: number; rules: number; resources: number };
}

function run(meshDir: string, mode: Mode): Run {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-bench-out-'));
  const started = performance.now();
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'synth-child.ts'), meshDir, outDir, ...mode.flags],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const wallMs = performance.now() - started;
  const child = JSON.parse(stdout.trim().split('\n').pop() as string) as {
    synthMs: number;
    synthCpuMs: number;
    engineMs?: number;
    maxRssMb: number;
  };
  const reports = fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith('.policy-report.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8')) as StackReport);
  fs.rmSync(outDir, { recursive: true, force: true });
  const findings =
    reports.length > 0
      ? {
          errors: reports.reduce((n, r) => n + r.summary.errors, 0),
          warnings: reports.reduce((n, r) => n + r.summary.warnings, 0),
          excepted: reports.reduce((n, r) => n + r.summary.exceptedFindings, 0),
          rules: Math.max(...reports.map((r) => r.summary.rules)),
          resources: reports.reduce((n, r) => n + r.summary.resources, 0),
        }
      : undefined;
  return {
    wallMs,
    synthMs: child.synthMs,
    synthCpuMs: child.synthCpuMs,
    engineMs: child.engineMs,
    maxRssMb: child.maxRssMb,
    findings,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Completes the generated definitions so they pass the definition rules (usage, limitations, support). */
function completeDefinitions(meshDir: string): void {
  const domainsDir = path.join(meshDir, 'domains');
  for (const domain of fs.readdirSync(domainsDir)) {
    const domainFile = path.join(domainsDir, domain, 'domain.ts');
    fs.writeFileSync(
      domainFile,
      fs
        .readFileSync(domainFile, 'utf8')
        .replace(
          /costCenter: ('[^']*'),/,
          "costCenter: $1,\n  support: [{ channel: 'email', url: 'mailto:data@example.com' }],",
        ),
    );
    for (const file of fs.readdirSync(path.join(domainsDir, domain, 'products'))) {
      const productFile = path.join(domainsDir, domain, 'products', file);
      fs.writeFileSync(
        productFile,
        fs
          .readFileSync(productFile, 'utf8')
          .replace(
            /description: \{ purpose: ('[^']*') \}/,
            "description: { purpose: $1, usage: 'Filter on event_date.', limitations: 'Synthetic values.' }",
          ),
      );
    }
  }
}

/** Writes the lock file of every product, as `npx mesh contract lock` does. */
function lockContracts(meshDir: string, today: string): void {
  const mesh = loadMesh({ root: meshDir });
  for (const product of allProducts(mesh)) {
    writeLockFile(meshDir, lockFilePath(product), planLock(product, undefined, today).lock);
  }
}

interface Measured {
  readonly label: string;
  readonly runs: Map<Mode, Run[]>;
}

function measure(label: string, meshDir: string, modes: readonly Mode[]): Measured {
  const runs = new Map<Mode, Run[]>(modes.map((m) => [m, []]));
  // Warm the transpile cache so the first measured run pays no compile cost.
  run(meshDir, modes[modes.length > 1 ? 1 : 0]);
  for (let i = 0; i < REPETITIONS; i++) {
    // Rotate the order so no mode always runs first.
    for (let j = 0; j < modes.length; j++) {
      const mode = modes[(i + j) % modes.length];
      runs.get(mode)?.push(run(meshDir, mode));
    }
    process.stderr.write(`${label}: repetition ${i + 1}/${REPETITIONS} done\n`);
  }
  return { label, runs };
}

function print(measured: Measured): number {
  const modes = [...measured.runs.keys()];
  const base = measured.runs.get(modes[0]) ?? [];
  const baseCpu = median(base.map((r) => r.synthCpuMs));
  const baseSynth = median(base.map((r) => r.synthMs));
  const baseWall = median(base.map((r) => r.wallMs));
  const rows = modes.map((mode) => {
    const r = measured.runs.get(mode) ?? [];
    const cpu = median(r.map((x) => x.synthCpuMs));
    const synth = median(r.map((x) => x.synthMs));
    const wall = median(r.map((x) => x.wallMs));
    return [
      mode.name,
      `${(cpu / 1000).toFixed(2)} s`,
      `${(cpu / baseCpu).toFixed(2)}x`,
      `${(synth / baseSynth).toFixed(2)}x`,
      `${(wall / 1000).toFixed(2)} s`,
      `${(wall / baseWall).toFixed(2)}x`,
      `${median(r.map((x) => x.maxRssMb))} MB`,
    ];
  });
  const headers = ['mode', 'synth CPU', 'CPU ratio', 'synth wall ratio', 'process wall', 'wall ratio', 'peak RSS'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const engine = measured.runs.get(modes[1])?.[0]?.findings;
  process.stdout.write(
    `\n${measured.label}${engine ? ` (${engine.rules} rules, ${engine.resources} resources: ${engine.errors} errors, ${engine.warnings} warnings, ${engine.excepted} excepted)` : ''}\n`,
  );
  process.stdout.write(`${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
  for (const mode of modes) {
    const r = measured.runs.get(mode) ?? [];
    if (r[0]?.engineMs === undefined) continue;
    // Same run, same process: the synth with the engine against the same synth minus the engine's own time.
    const selfRatio = median(r.map((x) => x.synthMs / (x.synthMs - (x.engineMs ?? 0))));
    process.stdout.write(
      `  ${mode.name}: the engine's own time is ${median(r.map((x) => x.engineMs ?? 0))} ms of ${median(r.map((x) => x.synthMs))} ms synth = ${selfRatio.toFixed(2)}x\n`,
    );
  }
  // The verdict is on wall time, what a user waits for; CPU time also counts the garbage collector's threads.
  return median((measured.runs.get(modes[1]) ?? []).map((r) => r.synthMs)) / baseSynth;
}

const today = new Date().toISOString().slice(0, 10);
const generated = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-bench-'));
writeSyntheticMesh(generated, { domains: DOMAINS, productsPerDomain: PRODUCTS });
lockContracts(generated, today);
const raw = measure('mesh as generated', generated, MODES.slice(0, 2));
completeDefinitions(generated);
lockContracts(generated, today);
const compliant = measure('compliant mesh', generated, MODES);
fs.rmSync(generated, { recursive: true, force: true });

process.stdout.write(
  `${DOMAINS} domains × ${PRODUCTS} products, ${REPETITIONS} repetitions per mode, the CDK CLI's context, built-in CloudFormation validation off.\n` +
    'synth = building the stacks, synthesizing and writing the policy reports (mesh loading excluded), as CPU time and wall time;\n' +
    'process wall = the whole child process. Medians; ratios against the run without governance.\n',
);
const ratio = print(compliant);
print(raw);
process.stdout.write(
  `\nPolicy engine overhead on the compliant mesh: ${ratio.toFixed(2)}x synth wall time (target ≤ ${TARGET_RATIO.toFixed(2)}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}).\n`,
);
