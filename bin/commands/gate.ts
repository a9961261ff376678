/**
 * `mesh gate [assembly]`: every policy rule again on a synthesized cloud assembly, from its files, in this
 * process (no CDK app runs); fails on an error finding or on any difference from the policy reports synth
 * wrote. Exit 0 pass, 1 failed, 2 could not run. The gate's code is loaded only when the command runs.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import type { DefinitionProblem } from '../../lib/mesh/problems';
import { projectRoot } from './shared';

/** What the gate judges by: the definitions that loaded, and the domains blocked by problems. */
export interface GateMesh {
  readonly mesh: Mesh;
  readonly blocked: ReadonlyMap<string, readonly DefinitionProblem[]>;
}

/**
 * Loads the definitions as synthesis does: all of them, or with `domains` only those domains and what their
 * inputs read (as `cdk synth -c domain=<name>`). A domain with problems is blocked, not fatal: the gate fails
 * its stack alone. Undefined (exit 2) when nothing can be loaded at all.
 */
export function loadMeshForGate(root: string, domains?: readonly string[]): GateMesh | undefined {
  const { tryLoadMesh } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
  const result = tryLoadMesh({ root, domains });
  const everywhere = result.blocked.get('*');
  if (!everywhere) return { mesh: result.partial, blocked: result.blocked };
  const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
  for (const problem of everywhere) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stderr.write(
    '\nmesh: the project cannot be loaded, so the assembly cannot be judged; fix the problems above.\n',
  );
  process.exitCode = 2;
  return undefined;
}

/** Domain folders whose stacks are among `stacks`; undefined (every domain) when one names no domain. */
export function domainsOfStacks(root: string, stacks: readonly string[] | undefined): string[] | undefined {
  if (!stacks || stacks.length === 0) return undefined;
  const { readMeshConfig } = require('../../lib/mesh/config') as typeof import('../../lib/mesh/config');
  const { discoverMeshFiles } = require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');
  const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  const config = readMeshConfig(root);
  const byStack = new Map(
    [...discoverMeshFiles(root, config.domainsDir).keys()].map((d) => [domainNames(config, d).stackName, d]),
  );
  const domains = stacks.map((stack) => byStack.get(stack));
  return domains.every((d) => d !== undefined) ? (domains as string[]) : undefined;
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
    .option(
      '--stack <name...>',
      "gate only these stacks, e.g. Mesh-Sales (loading only their domains' definitions, as cdk synth -c domain= does)",
    )
    .option('--json', 'print the result as JSON')
    .action((assembly: string | undefined, options: { stack?: string[]; json?: boolean }, command: Command) => {
      const root = projectRoot(command);
      const loaded = loadMeshForGate(root, domainsOfStacks(root, options.stack));
      if (!loaded) return;
      const gate = require('../../lib/policies/gate') as typeof import('../../lib/policies/gate');
      let result: import('../../lib/policies/gate').GateResult;
      try {
        result = gate.runGate({
          assembly: assembly ? path.resolve(assembly) : path.join(root, 'cdk.out'),
          ...loaded,
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
