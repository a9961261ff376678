/**
 * What every command needs: the project root, the loaded mesh, a way to fail with definition problems, and
 * output helpers. Only Node built-ins at the top: every command file imports this, so it stays light (the
 * loader and its schemas are required when a command runs, not when `mesh --help` lists it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { LoadResult } from '../../lib/mesh/load';
import type { Mesh } from '../../lib/mesh/model';

/** The file that marks a project root, as for the CDK CLI. */
export const PROJECT_MARKER = 'cdk.json';

/**
 * A command that could not run (bad option, missing input, no project): printed without a stack trace by
 * bin/mesh.ts, exit 2. A check that ran and failed sets exit code 1 instead.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** The nearest folder at or above `start` holding cdk.json, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, PROJECT_MARKER))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The project root: `--root` when given, else the nearest folder above the working directory with cdk.json. */
export function projectRoot(command: Command): string {
  const { root } = command.optsWithGlobals() as { root?: string };
  if (root !== undefined) return path.resolve(root);
  const found = findProjectRoot(process.cwd());
  if (!found) {
    throw new CommandError(
      `no ${PROJECT_MARKER} in ${process.cwd()} or any folder above it: run mesh inside a mesh project, or pass --root <dir>`,
    );
  }
  return found;
}

/** Loads the mesh of the project, problems included (the loader is required here, not at start-up). */
export function loadProject(command: Command): LoadResult {
  const { tryLoadMesh } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
  return tryLoadMesh({ root: projectRoot(command) });
}

/** Loads the mesh, or prints every definition problem and exits 1. */
export function loadMeshOrExit(command: Command): Mesh {
  const result = loadProject(command);
  if (!result.mesh) {
    printProblemsAndExit(result);
  }
  return result.mesh;
}

function printProblemsAndExit(result: LoadResult): never {
  const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stderr.write(
    `\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} found; nothing was synthesized.\n`,
  );
  process.exit(1);
}

/**
 * A function of a module that is required on its first call: keeps a heavy module out of start-up without
 * changing the call sites (`const stringify = lazy(() => require('yaml') as typeof import('yaml'), 'stringify')`).
 */
export function lazy<M, K extends keyof M>(load: () => M, name: K): M[K] {
  return ((...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args)) as M[K];
}

/** Prints a value as indented JSON on stdout: what `--json` prints. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Where a command writes a file: `-` is stdout. */
export function isStdout(target: string): boolean {
  return target === '-';
}

/** Writes text to a file (creating its folder), or to stdout when the target is `-`. */
export function writeOutput(target: string, text: string | Uint8Array): void {
  if (isStdout(target)) {
    process.stdout.write(text);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.writeFileSync(target, text);
}

/** Renders rows as an aligned plain-text table. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
