/**
 * Synthesizes one domain's stack of the working tree and of a base git ref, offline, for `mesh diff`. The
 * base is checked out with `git worktree add` into a temporary folder (the project's node_modules linked in,
 * nothing installed) and both run the project's own `cdk synth <stack> -c domain=<domain>`.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { readStackTemplates } from './assembly';
import type { TemplateSet } from './compare';

const run = promisify(execFile);

/** A step that could not run: git or the synth failed. The message names what to fix. */
export class StackDiffError extends Error {
  override readonly name = 'StackDiffError';
}

export interface DomainSynthRequest {
  /** Project folder (holding cdk.json) of the working tree. */
  readonly root: string;
  readonly domain: string;
  readonly stackName: string;
  /** Folder of the domains, relative to the project root. */
  readonly domainsDir: string;
}

export interface SynthesizedSide {
  /** What was synthesized: `working tree` or the ref and its commit. */
  readonly label: string;
  /** Empty when the domain does not exist on this side (a new or removed domain). */
  readonly templates: TemplateSet;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new StackDiffError(`git ${args.join(' ')} failed in ${cwd}: ${(e.stderr || e.message).trim()}`);
  }
}

/** The commit a ref names in the project's repository. */
export async function resolveRef(root: string, ref: string): Promise<string> {
  return git(root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`).catch(() => {
    throw new StackDiffError(
      `"${ref}" is not a commit of the repository at ${root}: pass --base <branch, tag or commit>`,
    );
  });
}

/**
 * Runs `cdk synth` of the domain's stack in a project folder, into `outdir`; the domain's templates, or none
 * when the folder has no such domain.
 */
export async function synthDomain(
  projectDir: string,
  request: DomainSynthRequest,
  outdir: string,
): Promise<TemplateSet> {
  if (!fs.existsSync(path.join(projectDir, request.domainsDir, request.domain, 'domain.ts'))) return new Map();
  const cdk = cdkCli(projectDir);
  try {
    await run(
      process.execPath,
      [cdk, 'synth', request.stackName, '-c', `domain=${request.domain}`, '-o', outdir, '--quiet'],
      {
        cwd: projectDir,
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true', FORCE_COLOR: '0' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const output = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new StackDiffError(`cdk synth ${request.stackName} failed in ${projectDir}:\n${output || e.message}`);
  }
  return readStackTemplates(outdir, request.stackName);
}

/** The CDK CLI the project installed (not whatever `npx` would fetch). */
function cdkCli(projectDir: string): string {
  try {
    return require.resolve('aws-cdk/bin/cdk', { paths: [projectDir] });
  } catch {
    throw new StackDiffError(`the aws-cdk CLI is not installed in ${projectDir}: run npm install`);
  }
}

/**
 * Checks the base ref out into a temporary worktree, calls `use` with the project folder inside it, and
 * removes the worktree afterwards, whatever happens.
 */
export async function withBaseWorktree<T>(
  root: string,
  commit: string,
  use: (projectDir: string) => Promise<T>,
): Promise<T> {
  const top = await git(root, 'rev-parse', '--show-toplevel');
  const within = path.relative(fs.realpathSync(top), fs.realpathSync(root));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diff-base-'));
  const tree = path.join(tmp, 'tree');
  await git(root, 'worktree', 'add', '--detach', '--quiet', tree, commit);
  try {
    const projectDir = path.join(tree, within);
    linkNodeModules(root, top, projectDir, tree);
    return await use(projectDir);
  } finally {
    await git(root, 'worktree', 'remove', '--force', tree).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
    await git(root, 'worktree', 'prune').catch(() => undefined);
  }
}

/** Links the working tree's node_modules (of the project, else of the repository root) into the worktree. */
function linkNodeModules(root: string, top: string, projectDir: string, tree: string): void {
  for (const [from, to] of [
    [path.join(root, 'node_modules'), path.join(projectDir, 'node_modules')],
    [path.join(top, 'node_modules'), path.join(tree, 'node_modules')],
  ]) {
    if (fs.existsSync(from) && !fs.existsSync(to)) {
      fs.symlinkSync(fs.realpathSync(from), to, 'dir');
      return;
    }
  }
}
