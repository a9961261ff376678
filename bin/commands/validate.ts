import type { Command } from 'commander';
import type { LoadResult } from '../../lib/mesh/load';
import type { Mesh } from '../../lib/mesh/model';
import type { DefinitionProblem } from '../../lib/mesh/problems';
import type { Finding } from '../../lib/policies/findings';
import { formatTable, loadProject, printJson, projectRoot } from './shared';

/** What validate found: definition problems by blocked domain, and the definition rules' findings. */
interface Verdict {
  readonly result: LoadResult;
  /** Findings that fail or warn (excepted ones are not shown), by domain. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly errors: number;
  readonly warnings: number;
  /** Build warnings (an unused input, a schedule that does not fit the SLA); they block nothing. */
  readonly buildWarnings: readonly DefinitionProblem[];
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check every definition as synth does (schemas, references, contracts, exceptions, definition rules) without synthesizing; exit 1 on any error',
    )
    .option('--json', 'print { valid, problems, findings, products } as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const started = performance.now();
      const verdict = await judge(command);
      const { result } = verdict;
      const valid = result.problems.length === 0 && verdict.errors === 0;
      if (!valid) process.exitCode = 1;
      if (options.json) {
        printJson({
          valid,
          problems: result.problems,
          findings: [...verdict.findings.values()].flat().map(({ ruleId, finding, severity, file, message, fix }) => ({
            ruleId,
            finding,
            severity,
            file,
            message,
            fix,
          })),
          products: rowsOf(result.partial),
          warnings: verdict.buildWarnings,
        });
        return;
      }
      printVerdict(verdict, performance.now() - started);
    });
}

/**
 * Loads the mesh and checks its builds' SQL (as synth does), then runs synth's definition rules on every
 * domain that loaded without problems.
 */
async function judge(command: Command): Promise<Verdict> {
  const loaded = loadProject(command);
  const { validateBuilds } =
    require('../../lib/build/validate-builds') as typeof import('../../lib/build/validate-builds');
  const { resultWithBuilds } = require('../../lib/build/with-builds') as typeof import('../../lib/build/with-builds');
  const builds = await validateBuilds(loaded.partial, { root: projectRoot(command) });
  const result = resultWithBuilds(loaded, builds, loaded.partial.config.domainsDir);
  const { definitionVerdict } =
    require('../../lib/policies/definition-verdict') as typeof import('../../lib/policies/definition-verdict');
  const domains = result.partial.domains.map((d) => d.name).filter((name) => !result.blocked.has(name));
  const all = definitionVerdict(result.partial, { root: projectRoot(command), domains });
  const findings = new Map<string, Finding[]>();
  let errors = 0;
  let warnings = 0;
  for (const [domain, list] of all) {
    const shown = list.filter((f) => f.status === 'fail');
    errors += shown.filter((f) => f.severity === 'error').length;
    warnings += shown.filter((f) => f.severity === 'warning').length;
    if (shown.length > 0) findings.set(domain, shown);
  }
  return {
    result,
    findings,
    errors,
    warnings: warnings + builds.warnings.length,
    buildWarnings: builds.warnings,
  };
}

function printVerdict(verdict: Verdict, elapsedMs: number): void {
  const { formatProblem } = require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems');
  const { result, findings } = verdict;
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  for (const warning of verdict.buildWarnings) process.stderr.write(`warning ${formatProblem(warning)}\n`);
  for (const list of findings.values()) {
    for (const f of list) process.stderr.write(`${f.severity === 'error' ? 'error' : 'warning'} ${formatLocated(f)}\n`);
  }
  const rows = rowsOf(result.partial)
    .filter((r) => !result.blocked.has(r.product.split('/')[0]))
    .map((r) => [
      r.stack,
      r.product,
      r.version,
      r.archetype,
      r.status,
      r.classification,
      r.visibility,
      r.live.join(','),
    ]);
  if (rows.length > 0) {
    process.stdout.write(
      `${formatTable(['stack', 'product', 'version', 'archetype', 'status', 'classification', 'visibility', 'live'], rows)}\n`,
    );
  }
  const mesh = result.partial;
  const problems = result.problems.length;
  const blocked = [...result.blocked.keys()].filter((d) => d !== '*');
  const summary = [
    problems > 0 ? `${problems} definition problem${problems === 1 ? '' : 's'}` : undefined,
    verdict.errors > 0 ? `${verdict.errors} error${verdict.errors === 1 ? '' : 's'}` : undefined,
    verdict.warnings > 0 ? `${verdict.warnings} warning${verdict.warnings === 1 ? '' : 's'}` : undefined,
  ].filter(Boolean);
  const ms = Math.round(elapsedMs);
  if (problems === 0 && verdict.errors === 0) {
    process.stdout.write(
      `\n✔ ${mesh.domains.length} domains, ${rows.length} products, ${mesh.edges.length} input edges valid${
        verdict.warnings > 0 ? ` (${summary.join(', ')})` : ''
      } (${ms} ms)\n`,
    );
    return;
  }
  const failing = new Set(
    [...blocked, ...findings.keys()].filter(
      (d) => findings.get(d)?.some((f) => f.severity === 'error') || result.blocked.has(d),
    ),
  );
  process.stderr.write(
    `\n✖ ${summary.join(', ')}; synth would fail for ${[...failing].sort().join(', ') || 'every domain'} (${ms} ms)\n`,
  );
}

/** A finding as synth prints it. */
function formatLocated(finding: Finding): string {
  const { formatFinding } = require('../../lib/policies/findings') as typeof import('../../lib/policies/findings');
  return formatFinding(finding);
}

/** One row per product; the loader's modules are required here so `mesh --help` does not load them. */
function rowsOf(mesh: Mesh) {
  const { currentVersion } = require('../../lib/mesh/model') as typeof import('../../lib/mesh/model');
  const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  return mesh.domains.flatMap((domain) =>
    domain.products.map((product) => ({
      stack: domainNames(mesh.config, domain.name).stackName,
      product: product.id,
      version: currentVersion(product).version,
      archetype: product.definition.archetype,
      status: product.definition.status,
      classification: product.classification,
      visibility: product.definition.access.visibility,
      live: product.versions.map((v) => `v${v.major}`),
    })),
  );
}
