/**
 * Gate benchmark: `npx mesh gate` on the assembly of a 50 domains × 20 products synthetic mesh. The mesh is
 * synthesized once as the CDK CLI would (its context, reports written); then the gate runs in a fresh
 * process per repetition. Prints the medians of the gate's own time (reading the assembly, every rule again,
 * comparing with the reports) and of the whole `mesh gate` process (start-up and loading the definitions
 * included).
 *   tsx test/bench/gate-bench.ts [repetitions] [domains] [products]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockFilePath, planLock, writeLockFile } from '../../lib/contracts/lock';
import { loadMesh } from '../../lib/mesh/load';
import { allProducts } from '../../lib/mesh/model';
import type { GateResult } from '../../lib/policies/gate';
import { writeSyntheticMesh } from './synthetic-mesh';

const REPETITIONS = Number(process.argv[2] ?? 5);
const DOMAINS = Number(process.argv[3] ?? 50);
const PRODUCTS = Number(process.argv[4] ?? 20);
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const today = new Date().toISOString().slice(0, 10);
const meshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-gate-bench-'));
const outDir = path.join(meshDir, 'cdk.out');
try {
  writeSyntheticMesh(meshDir, { domains: DOMAINS, productsPerDomain: PRODUCTS });
  // Lock files as `npx mesh contract lock` writes them, so the contract rules pass.
  for (const product of allProducts(loadMesh({ root: meshDir }))) {
    writeLockFile(meshDir, lockFilePath(product), planLock(product, undefined, today).lock);
  }
  const synthStarted = performance.now();
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'synth-child.ts'), meshDir, outDir, '--cli-context'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  process.stderr.write(`synthesized in ${((performance.now() - synthStarted) / 1000).toFixed(1)} s\n`);

  const gateMs: number[] = [];
  const processMs: number[] = [];
  let last: GateResult | undefined;
  for (let i = 0; i < REPETITIONS; i++) {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), '-C', meshDir, 'gate', outDir, '--json'],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    processMs.push(performance.now() - started);
    if (run.status !== 0)
      throw new Error(`mesh gate exited ${run.status}:\n${run.stderr}\n${run.stdout.slice(0, 3000)}`);
    last = JSON.parse(run.stdout) as GateResult;
    gateMs.push(last.ms);
    process.stderr.write(`repetition ${i + 1}/${REPETITIONS}: gate ${last.ms} ms\n`);
  }
  const templates = last?.stacks.reduce((n, s) => n + s.templates.length, 0) ?? 0;
  const warnings = last?.stacks.reduce((n, s) => n + s.warnings.length, 0) ?? 0;
  const resources = fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith('.template.json'))
    .reduce(
      (n, f) => n + Object.keys(JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8')).Resources ?? {}).length,
      0,
    );
  process.stdout.write(
    `${DOMAINS} domains × ${PRODUCTS} products: ${last?.stacks.length} stacks, ${templates} templates, ${resources} resources, ${warnings} warnings; ${REPETITIONS} repetitions.\n` +
      `gate's own time (read the assembly, every rule again, compare with the reports): median ${Math.round(median(gateMs))} ms (min ${Math.round(Math.min(...gateMs))}, max ${Math.round(Math.max(...gateMs))})\n` +
      `whole \`mesh gate\` process (start-up, loading the definitions): median ${(median(processMs) / 1000).toFixed(2)} s\n`,
  );
} finally {
  fs.rmSync(meshDir, { recursive: true, force: true });
}
