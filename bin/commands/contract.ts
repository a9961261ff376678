/**
 * `mesh contract export|lock|diff|check`: publish ODCS contracts, record them in lock files, and detect
 * breaking changes against what was published. Logic lives in lib/contracts; this file only does I/O.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { DeployEnv } from '../../lib/contracts/odcs-servers';
import type { ImpactedConsumer } from '../../lib/impact/impact';
import type { Mesh, MeshProduct } from '../../lib/mesh/model';
import { isStdout, lazy, loadMeshOrExit, printJson, projectRoot } from './shared';

// YAML, AJV and the contract modules are required when a contract command runs, not when `mesh --help` lists it.
const lock = () => require('../../lib/contracts/lock') as typeof import('../../lib/contracts/lock');
const majors = () => require('../../lib/contracts/majors') as typeof import('../../lib/contracts/majors');
const odcsValidate = () =>
  require('../../lib/contracts/odcs-validate') as typeof import('../../lib/contracts/odcs-validate');
const contractReport = () => require('../../lib/contracts/report') as typeof import('../../lib/contracts/report');
const stringify = lazy(() => require('yaml') as typeof import('yaml'), 'stringify');
const checkContracts = lazy(
  () => require('../../lib/contracts/check') as typeof import('../../lib/contracts/check'),
  'checkContracts',
);
const lockFilePath = lazy(lock, 'lockFilePath');
const planLock = lazy(lock, 'planLock');
const readLockFile = lazy(lock, 'readLockFile');
const writeLockFile = lazy(lock, 'writeLockFile');
const compareMajors = lazy(majors, 'compareMajors');
const contractsOf = lazy(majors, 'contractsOf');
const toOdcsContract = lazy(
  () => require('../../lib/contracts/odcs') as typeof import('../../lib/contracts/odcs'),
  'toOdcsContract',
);
const loadOdcsValidator = lazy(odcsValidate, 'loadOdcsValidator');
const formatComparison = lazy(contractReport, 'formatComparison');
const formatFinding = lazy(contractReport, 'formatFinding');
const consumersOf = lazy(
  () => require('../../lib/impact/impact') as typeof import('../../lib/impact/impact'),
  'consumersOf',
);
const formatBreaks = lazy(
  () => require('../../lib/impact/format') as typeof import('../../lib/impact/format'),
  'formatBreaks',
);
const assertIsoDate = lazy(
  () => require('../../lib/contracts/sunset') as typeof import('../../lib/contracts/sunset'),
  'assertIsoDate',
);
const allProducts = lazy(() => require('../../lib/mesh/model') as typeof import('../../lib/mesh/model'), 'allProducts');
const formatProblem = lazy(
  () => require('../../lib/mesh/problems') as typeof import('../../lib/mesh/problems'),
  'formatProblem',
);

const todayUtc = () => new Date().toISOString().slice(0, 10);

/** The products a command works on: one `<domain>/<product>`, or all. */
function selectProducts(mesh: Mesh, reference: string | undefined): MeshProduct[] {
  const products = allProducts(mesh);
  if (reference === undefined) return products;
  const found = products.find((p) => p.id === reference);
  if (!found) {
    throw new Error(
      `unknown product "${reference}" (expected <domain>/<product>; products: ${products.map((p) => p.id).join(', ')})`,
    );
  }
  return [found];
}

function dateOption(value: string | undefined): string {
  const today = value ?? todayUtc();
  assertIsoDate(today);
  return today;
}

/**
 * `--account` and `--region` of the export, both or neither. Read with the program's options too, so a global
 * `--region` (if the program defines one) reaches the export as well.
 */
function deployEnvOption(command: Command): DeployEnv | undefined {
  const { account, region } = command.optsWithGlobals() as { account?: string; region?: string };
  if (account === undefined && region === undefined) return undefined;
  if (account === undefined || region === undefined) {
    throw new Error('--account and --region go together: pass both to place domains that pin no env');
  }
  // The same rules as a domain's own env, so an exported address is one a stack could deploy to.
  const { DomainDefinitionSchema } =
    require('../../lib/definition/schema') as typeof import('../../lib/definition/schema');
  const parsed = DomainDefinitionSchema.shape.env.unwrap().safeParse({ account, region });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `--${String(issue.path[0])} ${issue.message}, got "${issue.path[0] === 'account' ? account : region}"`,
    );
  }
  return parsed.data;
}

export function registerContractCommand(program: Command): void {
  const contract = program
    .command('contract')
    .description('ODCS contracts: export them, lock what is published, detect breaking changes');

  contract
    .command('export')
    .description('write one ODCS v3.1.0 YAML file per product major version, validated against the ODCS schema')
    .option('-o, --out <dir>', 'output folder, relative to the project root; - for stdout', 'contracts')
    .option(
      '--schema <file>',
      'ODCS JSON schema to validate against (default: the v3.1.0 schema shipped in lib/contracts/schema/)',
    )
    .option('--account <id>', 'AWS account of domains that pin no env, so their server names are real addresses')
    .option('--region <region>', 'AWS region of domains that pin no env (with --account)')
    .action((options: { out: string; schema?: string }, command: Command) => {
      const root = projectRoot(command);
      const env = deployEnvOption(command);
      const mesh = loadMeshOrExit(command);
      const validate = loadOdcsValidator(
        options.schema ? path.resolve(root, options.schema) : odcsValidate().BUNDLED_ODCS_SCHEMA,
      );
      // `-o -`: every contract on stdout as one multi-document YAML stream, the summary on stderr.
      const toStdout = isStdout(options.out);
      let invalid = 0;
      let written = 0;
      for (const product of allProducts(mesh)) {
        for (const version of product.versions) {
          const document = toOdcsContract(mesh, product, version, { env });
          const file = path.join(options.out, product.domain, `${product.name}.v${version.major}.odcs.yaml`);
          const errors = validate(JSON.parse(JSON.stringify(document)));
          for (const error of errors) process.stderr.write(`${file}: ${error}\n`);
          if (errors.length > 0) invalid++;
          const text = `# ODCS contract of ${product.id} v${version.major}, generated from ${product.file} by npx mesh contract export; do not edit.\n${stringify(document, { lineWidth: 0 })}`;
          if (toStdout) {
            process.stdout.write(`---\n${text}`);
          } else {
            const absolute = path.resolve(root, file);
            fs.mkdirSync(path.dirname(absolute), { recursive: true });
            fs.writeFileSync(absolute, text);
          }
          written++;
        }
      }
      const unplaced = mesh.domains.filter((d) => !d.definition.env).map((d) => d.name);
      const placement = env
        ? unplaced.length > 0
          ? `; ${unplaced.join(', ')} placed in ${env.account} ${env.region}`
          : ''
        : unplaced.length > 0
          ? `; ${unplaced.join(', ')} pin no env: their names keep {account} and {region} (pass --account and --region)`
          : '';
      (toStdout ? process.stderr : process.stdout).write(
        `wrote ${written} contract${written === 1 ? '' : 's'} to ${toStdout ? 'stdout' : `${options.out}/`}${invalid ? `; ${invalid} failed ODCS validation` : ', all valid against ODCS v3.1.0'}${placement}\n`,
      );
      if (invalid > 0) process.exitCode = 1;
    });

  contract
    .command('lock [product]')
    .description(
      'record the published contract of every major in <product>.contract.lock.json (all products when omitted)',
    )
    .option(
      '--accept-breaking',
      'write the lock even with breaking changes in a published major (needs an approved reason)',
    )
    .option('--today <date>', 'date that decides sunsets, YYYY-MM-DD (default: today, UTC)')
    .action(
      (reference: string | undefined, options: { acceptBreaking?: boolean; today?: string }, command: Command) => {
        const root = projectRoot(command);
        const mesh = loadMeshOrExit(command);
        const today = dateOption(options.today);
        let refused = 0;
        for (const product of selectProducts(mesh, reference)) {
          const file = lockFilePath(product);
          const existing = readLockFile(root, file, product.id);
          if (existing.problems.length > 0) {
            for (const problem of existing.problems) process.stderr.write(`${formatProblem(problem)}\n`);
            process.stderr.write(`not locked ${product.id}: fix ${file} (or restore it from version control) first\n`);
            refused++;
            continue;
          }
          const plan = planLock(product, existing.lock, today);
          const blocking = plan.blockers.filter((b) => b.kind === 'version' || !options.acceptBreaking);
          if (blocking.length > 0) {
            process.stderr.write(`not locked ${product.id}:\n`);
            for (const b of blocking) process.stderr.write(`  v${b.major}: ${b.message}\n`);
            if (blocking.some((b) => b.kind === 'breaking')) {
              process.stderr.write(
                '  publish breaking changes as a new major (keep the old one in previousVersions with a sunset), or re-run with --accept-breaking once governance approved them\n',
              );
            }
            refused++;
            continue;
          }
          if (plan.blockers.length > 0) {
            process.stderr.write(
              `warning: ${product.id}: breaking changes accepted into the lock of a published major\n`,
            );
          }
          const majors = plan.lock.majors
            .map((m) => `v${m.major} ${m.version}${m.retired ? ' retired' : ''}`)
            .join(', ');
          if (plan.changed) writeLockFile(root, file, plan.lock);
          const state = existing.lock ? (plan.changed ? 'updated' : 'unchanged') : 'created';
          process.stdout.write(`${state.padEnd(9)} ${file} (${majors})\n`);
        }
        if (refused > 0) process.exitCode = 1;
      },
    );

  contract
    .command('diff [product]')
    .description('changes of the definition against the lock, each BREAKING or compatible; exit 1 on a breaking change')
    .option('--json', 'print the changes as JSON')
    .option('--today <date>', 'date that decides sunsets, YYYY-MM-DD (default: today, UTC)')
    .action((reference: string | undefined, options: { json?: boolean; today?: string }, command: Command) => {
      const root = projectRoot(command);
      const mesh = loadMeshOrExit(command);
      const today = dateOption(options.today);
      const report = [];
      let breaking = 0;
      let invalid = false;
      const lines: string[] = [];
      // Consumers of every product with a breaking change, so the owners to tell are named once at the end.
      const broken = new Map<string, ImpactedConsumer>();
      for (const product of selectProducts(mesh, reference)) {
        const file = lockFilePath(product);
        const read = readLockFile(root, file, product.id);
        if (read.problems.length > 0) {
          for (const problem of read.problems) process.stderr.write(`${formatProblem(problem)}\n`);
          invalid = true;
          continue;
        }
        const comparisons = compareMajors(contractsOf(product), read.lock, today);
        // Only a major with a breaking change breaks anyone: its readers and everything they feed.
        const breaks = comparisons.map((c) =>
          c.changes.some((change) => change.breaking) ? consumersOf(mesh, product, c.major) : [],
        );
        const draft = product.definition.status === 'draft';
        const productBreaking = comparisons.flatMap((c) => c.changes).filter((c) => c.breaking).length;
        // Drafts are unpublished: their breaking changes are shown but do not fail the check.
        if (!draft) breaking += productBreaking;
        report.push({
          product: product.id,
          lockFile: file,
          locked: read.lock !== undefined,
          draft,
          majors: comparisons.map((c, i) => ({
            major: c.major,
            state: c.state,
            lockedVersion: c.locked?.version,
            version: c.contract?.version,
            changes: c.changes,
            breaks: breaks[i],
          })),
        });
        lines.push(
          `${product.id} against ${read.lock ? file : '(no lock yet: every major is new)'}${draft ? ' [draft]' : ''}`,
        );
        comparisons.forEach((comparison, i) => {
          lines.push(...formatComparison(comparison));
          if (comparison.changes.some((c) => c.breaking)) lines.push(...formatBreaks(comparison.major, breaks[i]));
        });
        // As for the count of breaking changes, a draft's consumers are shown but not counted.
        if (!draft) for (const consumer of breaks.flat()) broken.set(consumer.product, consumer);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ breaking, products: report }, null, 2)}\n`);
      } else {
        process.stdout.write(`${lines.join('\n')}\n\n`);
        if (broken.size > 0) {
          const owners = [...new Set([...broken.values()].map((c) => c.owner))].sort();
          process.stdout.write(
            `${broken.size} consumer${broken.size === 1 ? '' : 's'} would break; tell their owners: ${owners.join(', ')}\n`,
          );
        }
        process.stdout.write(
          breaking > 0
            ? `${breaking} breaking change${breaking === 1 ? '' : 's'}: publish as a new major (keep the old one in previousVersions with a sunset) or undo\n`
            : 'no breaking changes\n',
        );
      }
      if (invalid) process.exitCode = 2;
      else if (breaking > 0) process.exitCode = 1;
    });

  contract
    .command('check')
    .description('contract governance rules (MESH-CON-001…009) over the mesh; exit 1 on any error')
    .option('--today <date>', 'date that decides sunsets, YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print { errors, warnings, findings } as JSON')
    .action((options: { today?: string; json?: boolean }, command: Command) => {
      const root = projectRoot(command);
      const mesh = loadMeshOrExit(command);
      const findings = checkContracts(mesh, root, dateOption(options.today));
      if (options.json) {
        const errors = findings.filter((f) => f.severity === 'error').length;
        printJson({ errors, warnings: findings.length - errors, findings });
        if (errors > 0) process.exitCode = 1;
        return;
      }
      for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
      const errors = findings.filter((f) => f.severity === 'error').length;
      process.stdout.write(
        `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}\n`,
      );
      if (errors > 0) process.exitCode = 1;
    });
}
