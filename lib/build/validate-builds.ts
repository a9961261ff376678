/**
 * validateBuilds(): the build SQL of every product that has one, checked against the contracts of what it
 * reads and writes — DuckDB binds it over empty tables typed as the inputs' schemas, its output columns are
 * compared with the product's, and the product's rules are run on that output. Results are cached by content
 * (lib/build/cache.ts), so a warm run does not start DuckDB.
 */
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { locateProblems } from '../mesh/locate';
import { currentVersion, type Mesh, type MeshProduct } from '../mesh/model';
import type { DefinitionProblem } from '../mesh/problems';
import { buildWarnings } from './build-warnings';
import { BUILD_CACHE_DIR, cacheKey, ResultCache } from './cache';
import {
  type BuildInput,
  createInputTable,
  DuckDbStatementError,
  describeQuery,
  explainInputs,
  resolveBuildInputs,
  rulesThatCannotRun,
  runStatement,
} from './duckdb-build';
import { compareOutputColumns } from './output-schema';
import { dateLiteral, renderBuildSql } from './render';
import { duckDbErrorOffset, lineAndColumn, locateStringOffset } from './sql-position';

export interface ValidateBuildsOptions {
  /** Project root: definition files are read from it to place problems, the cache lives under it. */
  readonly root: string;
  /** Only the builds of these domains. @default every domain of the mesh */
  readonly domains?: readonly string[];
  /** Folder of cached results; null for none. @default node_modules/.cache/mesh/builds under the root */
  readonly cacheDir?: string | null;
}

export interface BuildValidation {
  /** Errors, located in their files; they block the product's domain. */
  readonly problems: readonly DefinitionProblem[];
  /** Likely mistakes that do not block: unused inputs, a schedule that does not fit the SLA. */
  readonly warnings: readonly DefinitionProblem[];
  /** Products whose SQL DuckDB checked in this call. */
  readonly checked: readonly string[];
  /** Products answered from the cache. */
  readonly cached: readonly string[];
}

/** A problem before it is placed in its file: `sqlOffset` is an offset in the build SQL as written (trimmed). */
interface RawProblem {
  readonly path: string;
  readonly message: string;
  readonly sqlOffset?: number;
}

/** The day the build SQL is rendered with for validation: any date binds the same. */
const VALIDATION_RUN_DATE = dateLiteral('2000-01-01');

export async function validateBuilds(mesh: Mesh, options: ValidateBuildsOptions): Promise<BuildValidation> {
  const wanted = options.domains ? new Set(options.domains) : undefined;
  const products = mesh.domains
    .filter((d) => !wanted || wanted.has(d.name))
    .flatMap((d) => d.products.filter((p) => p.definition.build));
  const cache = new ResultCache<RawProblem[]>(
    options.cacheDir === null ? undefined : (options.cacheDir ?? path.join(options.root, BUILD_CACHE_DIR)),
  );

  const results = new Map<MeshProduct, RawProblem[]>();
  const pending: { product: MeshProduct; inputs: BuildInput[]; key: string }[] = [];
  const cached: string[] = [];
  for (const product of products) {
    const { inputs, unresolved } = resolveBuildInputs(mesh, product);
    // An input that does not resolve is already a problem of the product's `inputs` (lib/mesh/resolve.ts).
    if (unresolved.length > 0) continue;
    const key = cacheKey({
      prefix: mesh.config.prefix,
      product: product.id,
      definition: product.definition,
      inputs: inputs.map((i) => ({ reference: i.reference, schema: i.version.schema })),
    });
    const hit = cache.get(key);
    if (hit) {
      results.set(product, hit);
      cached.push(product.id);
    } else {
      pending.push({ product, inputs, key });
    }
  }

  if (pending.length > 0) {
    // DuckDB loads only when something is not cached.
    const { withDuckDb } = require('../quality/local-runner') as typeof import('../quality/local-runner');
    await withDuckDb(async (connection) => {
      // Input tables are empty and never written: each is created once and read by every build that needs it.
      const created = new Set<string>();
      for (const { product, inputs, key } of pending) {
        for (const input of inputs.filter((i) => !created.has(i.relation))) {
          await createInputTable(connection, input);
          created.add(input.relation);
        }
        const raw = await checkBuildSql(connection, mesh, product, inputs);
        cache.set(key, raw);
        results.set(product, raw);
      }
    });
  }

  const problems = [...results].flatMap(([product, raw]) => placeProblems(options.root, product, raw));
  return {
    problems,
    warnings: locateProblems(options.root, products.flatMap(buildWarnings)),
    checked: pending.map((p) => p.product.id),
    cached,
  };
}

/** Binds the SQL over the (created, empty) input tables, compares its output with the schema and runs the rules on it. */
async function checkBuildSql(
  connection: DuckDBConnection,
  mesh: Mesh,
  product: MeshProduct,
  inputs: readonly BuildInput[],
): Promise<RawProblem[]> {
  const version = currentVersion(product);
  const rendered = renderBuildSql(product, version, mesh, 'duckdb', { runDate: VALIDATION_RUN_DATE });
  const written = product.definition.build?.sql ?? '';

  // One statement binds the SQL and keeps its (empty) output for the rules; its text starts on line 2.
  const create = `CREATE OR REPLACE TEMP TABLE ${OUTPUT} AS\n`;
  try {
    await runStatement(connection, `${create}${rendered.sql}`);
  } catch (err) {
    if (!(err instanceof DuckDbStatementError)) throw err;
    const at = duckDbErrorOffset(err.full, `${create}${rendered.sql}`);
    const sqlOffset = at === undefined ? undefined : rendered.originalOffset(Math.max(0, at - create.length));
    const where = sqlOffset === undefined ? '' : ` (SQL ${describePosition(written, sqlOffset)})`;
    return [
      {
        path: 'build.sql',
        message: `DuckDB cannot run the build SQL over its inputs' schemas: ${explainInputs(err.message, inputs)}${where}`,
        ...(sqlOffset !== undefined ? { sqlOffset } : {}),
      },
    ];
  }
  const columns = await describeQuery(connection, `SELECT * FROM ${OUTPUT}`);
  const problems: RawProblem[] = compareOutputColumns(columns, version.schema).map((difference) => ({
    path: 'build.sql',
    message: `the build's output does not match the product's schema: ${difference}`,
  }));
  for (const rule of await rulesThatCannotRun(connection, product, version, OUTPUT)) {
    problems.push({
      path: rule.source,
      message: `this rule (${rule.summary}) cannot run on the build's output: ${rule.message}`,
    });
  }
  return problems;
}

/** The output of the build being checked; replaced by the next one's (the connection checks one at a time). */
const OUTPUT = '"build_output"';

function describePosition(sql: string, offset: number): string {
  const { line, column } = lineAndColumn(sql, offset);
  return `line ${line}, column ${column}`;
}

/** Problems with their file positions: inside the SQL where DuckDB said, else at the field. */
function placeProblems(root: string, product: MeshProduct, raw: readonly RawProblem[]): DefinitionProblem[] {
  const placed = raw.map((problem): DefinitionProblem => {
    const base = { file: product.file, path: problem.path, message: problem.message };
    if (problem.sqlOffset === undefined) return base;
    const at = locateStringOffset(root, product.file, problem.path, problem.sqlOffset);
    return at ? { ...base, ...at } : base;
  });
  return locateProblems(root, placed);
}
