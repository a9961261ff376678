/**
 * Runs `mesh` commands in-process, as bin/mesh.ts would register them, capturing stdout, stderr and the exit
 * code; a command that throws (could not run, exit 2 in the CLI) rejects with its error.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../../support/temp-project';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | string | undefined;
}

export async function runCommand(
  register: readonly ((program: Command) => void)[],
  args: readonly string[],
): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = new Command().option('-C, --root <dir>').exitOverride();
    for (const add of register) add(program);
    await program.parseAsync(['node', 'mesh', ...args]);
    return { stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = previousExitCode;
  }
}

/** Runs bin/mesh.cjs in a child process, the way users run it. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? PROJECT_ROOT,
    env: options.env ?? process.env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * An environment in which the SDK finds no region and no credentials: no AWS variables, config and
 * credentials files that do not exist, no instance metadata.
 */
export function envWithoutAws(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('CDK_DEFAULT_')) env[key] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: path.join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
