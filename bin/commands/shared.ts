/** What every command needs: the project root, the loaded mesh, and a way to fail with definition problems. */
import type { Command } from 'commander';
import { tryLoadMesh } from '../../lib/mesh/load';
import type { Mesh } from '../../lib/mesh/model';
import { formatProblem } from '../../lib/mesh/problems';

export function projectRoot(command: Command): string {
  return (command.optsWithGlobals() as { root: string }).root;
}

/** Loads the mesh, or prints every definition problem and exits 1. */
export function loadMeshOrExit(command: Command): Mesh {
  const result = tryLoadMesh({ root: projectRoot(command) });
  if (!result.mesh) {
    for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.stderr.write(
      `\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} found; nothing was synthesized.\n`,
    );
    process.exit(1);
  }
  return result.mesh;
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
