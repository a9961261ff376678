/**
 * `mesh build <domain>/<product> --local`: runs a product's build SQL in DuckDB over samples of its inputs
 * (or given files), checks the output against the product's schema, then runs the product's rules on it.
 * Exit codes: 0 the output matches and every rule passes, 1 it does not (or the SQL fails), 2 it could not run.
 */
import type { Command } from 'commander';
import type { LocalBuildRun } from '../../lib/build/local-build';
import type { Mesh } from '../../lib/mesh/model';
import { reportTable, resolveProductVersion, scoreLine } from './check';
import { progressLine } from './progress';
import { CommandError, formatTable, loadMeshOrExit, printJson } from './shared';

interface BuildOptions {
  readonly local?: boolean;
  readonly input?: readonly string[];
  readonly rows?: string;
  readonly seed: string;
  readonly date?: string;
  readonly out?: string;
  readonly json?: boolean;
}

export function registerBuildCommand(program: Command): void {
  program
    .command('build <domain/product>')
    .description(
      "run a product's build SQL locally in DuckDB over samples of its inputs (or given files), check the output against the schema and run the rules; exit 1 when they fail",
    )
    .option('--local', 'run in DuckDB on this machine (the only way this command runs a build)')
    .option(
      '--input <reference=path>',
      'read an input from a Parquet, CSV or JSON file or folder instead of a sample, e.g. sales/orders@2=orders.parquet (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--rows <n>', 'rows of each generated input sample (default: as mesh sample)')
    .option('--seed <n>', 'seed of the generated samples', '1')
    .option('--date <yyyy-mm-dd>', 'the day the run builds, the value of {run_date} (default: today, UTC)')
    .option('--out <file>', 'write the output rows to this Parquet file')
    .option('--json', 'print the run (inputs, rows, schema match, rule results) as JSON')
    .action(async (reference: string, options: BuildOptions, command: Command) => {
      try {
        // Options are read before the mesh is loaded, so a mistake on the command line is told at once.
        const request = readOptions(reference, options);
        process.exitCode = await build(loadMeshOrExit(command), reference, request);
      } catch (err) {
        // By name: loading the build module (and DuckDB) only to compare classes would slow every usage error.
        const sqlFailed = err instanceof Error && err.name === 'BuildSqlError';
        process.stderr.write(`mesh build: ${err instanceof Error ? err.message : String(err)}\n`);
        if (sqlFailed)
          process.stderr.write('next: fix build.sql, then run npx mesh validate to see the problem in the file\n');
        // A build SQL that fails is what the command tests for: it ran and found a failure.
        process.exitCode = sqlFailed ? 1 : 2;
      }
    });
}

/** What the command line asks for, checked. */
interface BuildRequest {
  readonly inputs: ReadonlyMap<string, string>;
  readonly rows?: number;
  readonly seed: number;
  readonly runDate: string;
  readonly out?: string;
  readonly json: boolean;
}

function readOptions(reference: string, options: BuildOptions): BuildRequest {
  if (!options.local) {
    throw new CommandError(
      `mesh build runs a build on this machine only: add --local (the deployed build runs on its schedule; mesh run ${reference} starts one)`,
    );
  }
  const inputs = new Map<string, string>();
  for (const pair of options.input ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw new CommandError(`--input takes <domain>/<product>@<major>=<file or folder>, got "${pair}"`);
    }
    inputs.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const rows = options.rows === undefined ? undefined : wholeNumber('--rows', options.rows);
  const seed = wholeNumber('--seed', options.seed);
  const { isIsoDate } = require('../../lib/definition/schema') as typeof import('../../lib/definition/schema');
  const runDate = options.date ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDate(runDate)) throw new CommandError(`--date takes a day written YYYY-MM-DD, got "${runDate}"`);
  return {
    inputs,
    seed,
    runDate,
    json: options.json === true,
    ...(rows !== undefined ? { rows } : {}),
    ...(options.out !== undefined ? { out: options.out } : {}),
  };
}

async function build(mesh: Mesh, reference: string, request: BuildRequest): Promise<number> {
  const { product } = resolveProductVersion(mesh, reference);
  if (!product.definition.build) {
    throw new CommandError(`${product.id} has no build; add build: { sql, schedule, mode } to ${product.file}`);
  }
  const progress = progressLine({ quiet: request.json });
  // DuckDB loads only when a build runs, so other commands start fast.
  const { runLocalBuild } = require('../../lib/build/local-build') as typeof import('../../lib/build/local-build');
  const { LocalInputError } =
    require('../../lib/quality/local-source') as typeof import('../../lib/quality/local-source');
  let run: LocalBuildRun;
  try {
    run = await runLocalBuild(mesh, product, {
      ...request,
      onProgress: (text) => progress.update(`${text} ...`, true),
    });
  } catch (err) {
    if (err instanceof LocalInputError) throw new CommandError(err.message);
    throw err;
  } finally {
    progress.done();
  }
  if (request.json) {
    printJson(run);
    return run.passed ? 0 : 1;
  }
  printRun(run);
  return run.passed ? 0 : 1;
}

function printRun(run: LocalBuildRun): void {
  const { formatNumber } = require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(
    `${run.product} v${run.major} (${run.version}) built in DuckDB for run date ${run.runDate}: ${formatNumber(run.rowsWritten)} rows written`,
  );
  out(
    `\n${formatTable(
      ['input', 'read as', 'from', 'rows'],
      run.inputs.map((i) => [
        i.reference,
        i.relation,
        i.from.kind === 'sample'
          ? `sample (seed ${i.from.seed})`
          : `${i.from.source.path} (${i.from.source.files.length} ${i.from.source.format} file${i.from.source.files.length === 1 ? '' : 's'})`,
        formatNumber(i.rows),
      ]),
    )}`,
  );
  if (run.schemaDifferences.length === 0) {
    out(`\nschema: the output matches the contract (${run.columns.length} columns)`);
  } else {
    out('\nschema: the output does not match the contract');
    for (const difference of run.schemaDifferences) out(`  - ${difference}`);
  }
  out(`\n${reportTable(run.report)}\n\n${scoreLine(run.report)}`);
  for (const result of run.report.results) {
    if (result.message) out(`  ${result.source} ${result.status}: ${result.message}`);
  }
  if (run.out) out(`output written to ${run.out} (parquet)`);
  out(`built and checked in ${Math.round(run.elapsedMs)} ms`);
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new CommandError(`${option} takes a whole number, got "${text}"`);
  return Number(text);
}
