/**
 * Runs compiled definition files apart from the platform and returns what each exported, as JSON text.
 *
 * The files run in a separate Node process (sandbox-main.cjs) under Node's permission model: it may not
 * read or write files, start processes or load native addons, it has an empty environment, and its only
 * way back is the JSON it prints. Nothing a definition does there can reach this process: not the rules,
 * the engine, the CDK context, the environment or the construct tree.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompiledDefinition } from './bundle';

/** What one definition file gave back. */
export type EvaluatedFile =
  | { readonly file: string; readonly json: string }
  | { readonly file: string; readonly missingDefault: true }
  | { readonly file: string; readonly thrown: string }
  | { readonly file: string; readonly problems: readonly { path: (string | number)[]; message: string }[] }
  | { readonly file: string; readonly failed: string };

export interface SandboxOptions {
  /** Time one domain's files may take. @default 5000 */
  readonly timeoutMs?: number;
  /** Heap one domain's files may use. @default 256 */
  readonly memoryMb?: number;
}

interface DomainAnswer {
  readonly domain: string;
  readonly results?: EvaluatedFile[];
  /** Why the domain's evaluation stopped, and the file that was running then. */
  readonly failed?: string;
  readonly file?: string;
}

const SANDBOX_SOURCE = path.join(__dirname, 'sandbox-main.cjs');

/** Node's permission flag: `--permission` from Node 22, `--experimental-permission` before. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
}

/**
 * Evaluates the files of each domain (domain name → compiled files) in the sandbox. Every input file gets
 * exactly one answer; a domain whose code stops the sandbox takes only its own files down.
 */
export function evaluateInSandbox(
  domains: ReadonlyMap<string, readonly CompiledDefinition[]>,
  options: SandboxOptions = {},
): Map<string, EvaluatedFile> {
  const answers = runSandbox([...domains.keys()], domains, options);
  if (answers) return collect(domains, answers);
  // The sandbox process itself died (a definition can end its own process): run each domain alone, so
  // the one that did it is the only one to fail.
  const each: DomainAnswer[] = [];
  for (const name of domains.keys()) {
    each.push(...(runSandbox([name], domains, options) ?? [{ domain: name, failed: 'ended the evaluation process' }]));
  }
  return collect(domains, each);
}

function runSandbox(
  names: readonly string[],
  domains: ReadonlyMap<string, readonly CompiledDefinition[]>,
  options: SandboxOptions,
): DomainAnswer[] | undefined {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const input = JSON.stringify({
    domains: names.map((name) => ({ name, files: domains.get(name) ?? [] })),
    timeoutMs,
    memoryMb: options.memoryMb ?? 256,
    parallel: Math.max(1, Math.min(4, os.availableParallelism())),
  });
  const result = spawnSync(
    process.execPath,
    [permissionFlag(), '--allow-worker', '--no-warnings', '-e', fs.readFileSync(SANDBOX_SOURCE, 'utf8')],
    {
      input,
      env: {},
      // A definition that blocks the whole process is stopped with the rest of its batch.
      timeout: timeoutMs * Math.max(2, names.length) + 5_000,
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
      windowsHide: true,
    },
  );
  if (result.status !== 0 || !result.stdout) return undefined;
  try {
    return JSON.parse(result.stdout) as DomainAnswer[];
  } catch {
    return undefined;
  }
}

function collect(
  domains: ReadonlyMap<string, readonly CompiledDefinition[]>,
  answers: readonly DomainAnswer[],
): Map<string, EvaluatedFile> {
  const byDomain = new Map(answers.map((a) => [a.domain, a]));
  const out = new Map<string, EvaluatedFile>();
  for (const [name, files] of domains) {
    const answer = byDomain.get(name);
    const results = new Map((answer?.results ?? []).map((r) => [r.file, r]));
    for (const { file } of files) {
      // Only answers for files that were sent count: the sandbox cannot add or rename files.
      const culprit = answer?.file;
      const failed = !answer?.failed
        ? 'gave no answer'
        : culprit === file || !culprit
          ? answer.failed
          : `was not evaluated: ${culprit} ${answer.failed}`;
      out.set(file, results.get(file) ?? { file, failed });
    }
  }
  return out;
}
