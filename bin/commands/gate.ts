/**
 * `mesh gate [assembly]`: every policy rule again on a synthesized cloud assembly, from its files, in this
 * process (no CDK app runs); fails on an error finding or on any difference from the policy reports synth
 * wrote. Exit 0 pass, 1 failed, 2 could not run. The gate's code is loaded only when the command runs.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import { projectRoot } from './shared';

/** The mesh of the project, or undefined (problems printed, exit 2: the gate cannot judge without it). */
export function loadMeshForGate(root: string): Mesh | undefined {
  const { tryLoadMesh } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
  const result = tryLoadMesh({ root });
  if (result.mesh) return result.mesh;
  const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stderr.write(
    `\nmesh: the definitions have ${result.problems.length} problem(s), so the gate cannot judge the assembly; fix them and synthesize again.\n`,
  );
  process.exitCode = 2;
  return undefined;
}

/** A failure of the gate's input (no assembly, unreadable manifest, unknown stack): exit 2. */
export function isGateInputError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'GateError' || err.name === 'AssemblyError');
}

export function registerGateCommand(program: Command): void {
  program
    .command('gate [assembly]')
    .description(
      'check a synthesized cloud assembly (default cdk.out) again from its files: every policy rule, and the policy reports unchanged; exit 1 on an error or a difference, 2 if it cannot run',
    )
    .option('--stack <name...>', 'gate only these stacks, e.g. Mesh-Sales')
    .option('--json', 'print the result as JSON')
    .action((assembly: string | undefined, options: { stack?: string[]; json?: boolean }, command: Command) => {
      const root = projectRoot(command);
      const mesh = loadMeshForGate(root);
      if (!mesh) return;
      const gate = require('../../lib/policies/gate') as typeof import('../../lib/policies/gate');
      let result: import('../../lib/policies/gate').GateResult;
      try {
        result = gate.runGate({
          assembly: assembly ? path.resolve(assembly) : path.join(root, 'cdk.out'),
          mesh,
          root,
          stacks: options.stack,
        });
      } catch (err) {
        if (!isGateInputError(err)) throw err;
        process.stderr.write(`mesh gate: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(`${gate.formatGateResult(result).join('\n')}\n`);
      process.exitCode = result.passed ? 0 : 1;
    });
}
