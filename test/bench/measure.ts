/**
 * Runs commands the way a user does and measures them: wall time of the whole command and the peak memory of
 * the app it starts (the largest Node process that is not the CDK CLI). Pairs run interleaved, in alternating
 * order, so drift in the machine's load falls on both sides alike.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PEAK_RSS = path.join(__dirname, 'peak-rss.cjs');

/** One command to measure. */
export interface Measured {
  readonly label: string;
  readonly cwd: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Runs before every measured run, unmeasured (e.g. emptying caches for a cold run). */
  readonly before?: () => void;
  readonly env?: NodeJS.ProcessEnv;
}

export interface Sample {
  readonly wallMs: number;
  /** Peak RSS of the app process, MB. */
  readonly appRssMb: number;
}

/** Runs once; throws with the command's stderr when it fails. */
export function runOnce(target: Measured): Sample {
  target.before?.();
  const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-rss-'));
  const started = performance.now();
  const result = spawnSync(target.command, target.args, {
    cwd: target.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      ...target.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PEAK_RSS}`.trim(),
      MESH_BENCH_RSS_DIR: rssDir,
    },
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `${target.label}: ${target.command} ${target.args.join(' ')} exited ${result.status}\n${result.stderr.slice(-4000)}`,
    );
  }
  let appRssKb = 0;
  for (const file of fs.readdirSync(rssDir)) {
    const record = JSON.parse(fs.readFileSync(path.join(rssDir, file), 'utf8')) as { argv: string; maxRssKb: number };
    if (!/aws-cdk[\\/]|node_modules[\\/]\.bin[\\/]cdk/.test(record.argv))
      appRssKb = Math.max(appRssKb, record.maxRssKb);
  }
  fs.rmSync(rssDir, { recursive: true, force: true });
  return { wallMs, appRssMb: Math.round(appRssKb / 1024) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface PairResult {
  readonly a: readonly Sample[];
  readonly b: readonly Sample[];
}

/** `runs` interleaved runs of a and b (a first on even rounds, b first on odd ones), after one unmeasured warm-up each. */
export function runPair(a: Measured, b: Measured, runs: number, warmUp = true): PairResult {
  if (warmUp) {
    runOnce(a);
    runOnce(b);
  }
  const samplesA: Sample[] = [];
  const samplesB: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      samplesA.push(runOnce(a));
      samplesB.push(runOnce(b));
    } else {
      samplesB.push(runOnce(b));
      samplesA.push(runOnce(a));
    }
  }
  return { a: samplesA, b: samplesB };
}
