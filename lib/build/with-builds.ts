/**
 * Build problems joined to a load's result, as synth and `mesh validate` both need them: each problem blocks
 * the domain of the product it is about, and only that domain.
 */
import * as path from 'node:path';
import type { LoadResult } from '../mesh/load';
import type { DefinitionProblem } from '../mesh/problems';
import type { BuildValidation } from './validate-builds';

/** Problems blocking each domain, with the build problems added to the domains of their files. */
export function blockedWithBuilds(
  blocked: ReadonlyMap<string, readonly DefinitionProblem[]>,
  problems: readonly DefinitionProblem[],
  domainsDir: string,
): Map<string, readonly DefinitionProblem[]> {
  const merged = new Map(blocked);
  for (const problem of problems) {
    const domain = path.relative(domainsDir, problem.file).split(path.sep)[0];
    merged.set(domain, [...(merged.get(domain) ?? []), problem]);
  }
  return merged;
}

/** The load's result with the build problems among its problems; no mesh when there is any problem. */
export function resultWithBuilds(result: LoadResult, validation: BuildValidation, domainsDir: string): LoadResult {
  if (validation.problems.length === 0) return result;
  return {
    problems: [...result.problems, ...validation.problems],
    partial: result.partial,
    blocked: blockedWithBuilds(result.blocked, validation.problems, domainsDir),
  };
}
