/**
 * Synth benchmark: generates synthetic meshes and prints, per size, wall time, peak RSS, stacks, resources
 * per stack and the largest template. CDK's built-in CloudFormation validator is off (measured separately).
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticMesh } from './synthetic-mesh';

interface ChildResult {
  stacks: number;
  templates: number;
  maxResources: number;
  largestTemplateBytes: number;
  loadMs: number;
  synthMs: number;
  maxRssMb: number;
}

const SIZES: ReadonlyArray<{ domains: number; products: number; only?: boolean }> = [
  { domains: 1, products: 1 },
  { domains: 5, products: 10 },
  { domains: 20, products: 25 },
  { domains: 50, products: 20 },
  { domains: 1, products: 400 },
];

function run(meshDir: string, extra: string[] = []): ChildResult & { wallMs: number } {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-out-'));
  const started = performance.now();
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'synth-child.ts'), meshDir, outDir, ...extra],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = Math.round(performance.now() - started);
  fs.rmSync(outDir, { recursive: true, force: true });
  return { ...(JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult), wallMs };
}

const rows: string[][] = [];
for (const size of SIZES) {
  const meshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
  writeSyntheticMesh(meshDir, { domains: size.domains, productsPerDomain: size.products });
  const result = run(meshDir);
  rows.push([
    `${size.domains}×${size.products}`,
    String(size.domains * size.products),
    `${(result.wallMs / 1000).toFixed(2)} s`,
    `${(result.loadMs / 1000).toFixed(2)} s`,
    `${result.maxRssMb} MB`,
    String(result.templates),
    String(result.maxResources),
    `${(result.largestTemplateBytes / 1024).toFixed(0)} KiB`,
  ]);
  if (size.domains === 50) {
    const single = run(meshDir, ['--domain', 'domain_025']);
    rows.push([
      '50×20 -c domain=',
      '20',
      `${(single.wallMs / 1000).toFixed(2)} s`,
      `${(single.loadMs / 1000).toFixed(2)} s`,
      `${single.maxRssMb} MB`,
      String(single.templates),
      String(single.maxResources),
      `${(single.largestTemplateBytes / 1024).toFixed(0)} KiB`,
    ]);
  }
  fs.rmSync(meshDir, { recursive: true, force: true });
}

const headers = [
  'mesh',
  'products',
  'synth wall',
  'of it loading',
  'peak RSS',
  'templates',
  'max resources/template',
  'largest template',
];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
process.stdout.write(`${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(
  '\nLimits: 500 resources and 1 MB (1,024 KiB) per template. Built-in CloudFormation validation off.\n',
);
