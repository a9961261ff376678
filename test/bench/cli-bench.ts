/**
 * `npm run bench:cli` — start-up and validate times of the `mesh` CLI, as users run it (a new process each
 * time): `mesh --help`, `mesh --version`, `mesh validate` on the example mesh and on a generated mesh of
 * 50 domains × 20 products. Prints the median and the fastest wall time of each (the machine's load too:
 * on a busy machine the fastest run is the better figure).
 *   npm run bench:cli                          this checkout
 *   npm run bench:cli -- --cli <mesh.cjs>      another checkout's launcher, for before/after figures
 *   npm run bench:cli -- --runs 9
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticMesh } from './synthetic-mesh';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Wall time of one run of the CLI in a new process, and its exit code. */
function timeOnce(cli: string, args: readonly string[]): { wall: number; status: number | null } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
  return { wall: performance.now() - started, status: result.status };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const { values } = parseArgs({
    options: { cli: { type: 'string' }, runs: { type: 'string', default: '5' } },
  });
  const cli = path.resolve(values.cli ?? path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'));
  const runs = Number(values.runs);
  const large = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cli-bench-'));
  writeSyntheticMesh(large, { domains: 50, productsPerDomain: 20 });
  // Exit codes that count as a run: validate exits 1 on findings (the generated mesh has contract findings).
  const cases: [string, string[], number[]][] = [
    ['mesh --help', ['--help'], [0]],
    ['mesh --version', ['--version'], [0]],
    ['mesh validate (example, 4 × 9)', ['--root', PROJECT_ROOT, 'validate'], [0, 1]],
    ['mesh validate (50 domains × 20 products)', ['--root', large, 'validate'], [0, 1]],
  ];
  process.stdout.write(`${cli}, ${runs} runs each, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}\n`);
  try {
    for (const [label, args, ok] of cases) {
      const warm = timeOnce(cli, args); // warms the transform cache and the file system cache
      if (!ok.includes(warm.status ?? -1)) {
        process.stdout.write(`${label.padEnd(44)} not available (exit ${warm.status})\n`);
        continue;
      }
      const wall = Array.from({ length: runs }, () => timeOnce(cli, args).wall);
      process.stdout.write(
        `${label.padEnd(44)} median ${Math.round(median(wall))} ms, fastest ${Math.round(Math.min(...wall))} ms\n`,
      );
    }
  } finally {
    fs.rmSync(large, { recursive: true, force: true });
  }
}

main();
