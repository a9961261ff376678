/**
 * Checks inside one product definition that a schema cannot express: columns referenced by rules exist and
 * have a type the rule can work on, partition columns are usable, versions are consistent.
 */
import { blankComments, parsePlaceholders } from '../build/placeholders';
import { checkPortableSql } from '../build/portability';
import { parseSchedule } from '../build/schedule';
import { lineAndColumn } from '../build/sql-position';
import { checkTimeZone } from '../build/timezone';
import { icebergType } from '../catalog/iceberg-table';
import {
  type ColumnType,
  isNumericType,
  isTemporalType,
  isTextType,
  parseColumnType,
  renderGlueType,
} from '../definition/column-type';
import { checkPartitionProjection } from '../definition/partition-projection';
import type { ProductDefinition, ProductSchemaDefinition, QualityRule } from '../definition/schema';
import type { DefinitionProblem } from './problems';

type Report = (path: string, message: string) => void;

export function checkProduct(file: string, product: ProductDefinition, expectedName: string): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report: Report = (path, message) => problems.push({ file, path, message });

  if (product.name !== expectedName) {
    report('name', `product name "${product.name}" must equal the file name "${expectedName}" (rename one of them)`);
  }
  const types = checkSchema(product.schema, 'schema', report);
  checkQualityRules(product.quality, types, report);
  checkBuild(product, report);
  if (product.monitor?.schedule !== undefined) checkSchedule(product.monitor.schedule, 'monitor.schedule', report);

  const freshness = product.sla?.freshness;
  if (freshness) {
    const type = types.get(freshness.column);
    if (!type) report('sla.freshness.column', unknownColumn(freshness.column, types));
    else if (!isTemporalType(type)) {
      report(
        'sla.freshness.column',
        `freshness is measured on a date or timestamp column; "${freshness.column}" is ${renderGlueType(type)}`,
      );
    }
  }

  // A sunset ends a product on its way out; on a live one it would let the file be deleted unannounced.
  if (product.sunset !== undefined && product.status !== 'deprecated' && product.status !== 'retired') {
    report(
      'sunset',
      `a sunset applies to a deprecated or retired product, but status is "${product.status}" (set status: 'deprecated' to announce the end, or remove sunset)`,
    );
  }

  const currentMajor = majorOf(product.version);
  const seenMajors = new Set<number>([currentMajor]);
  product.previousVersions.forEach((previous, i) => {
    const path = `previousVersions[${i}]`;
    const major = majorOf(previous.version);
    if (major >= currentMajor) {
      report(
        `${path}.version`,
        `an earlier version must have a lower major than the current ${product.version}, got ${previous.version}`,
      );
    } else if (seenMajors.has(major)) {
      report(`${path}.version`, `major ${major} is listed twice; keep one entry per major`);
    }
    seenMajors.add(major);
    checkSchema(previous.schema, `${path}.schema`, report);
  });

  product.access.consumers.forEach((consumer, i) => {
    if (product.access.consumers.findIndex((c) => c.domain === consumer.domain) !== i) {
      report(`access.consumers[${i}].domain`, `consumer domain "${consumer.domain}" is listed twice`);
    }
  });
  product.inputs.forEach((input, i) => {
    if (product.inputs.indexOf(input) !== i) report(`inputs[${i}]`, `input "${input}" is listed twice`);
  });
  checkPrivacy(product, types, report);
  return problems;
}

/** Subject keys are columns; removals and a declassification name the product's own inputs. */
function checkPrivacy(product: ProductDefinition, types: Map<string, ColumnType>, report: Report): void {
  const privacy = product.privacy;
  if (!privacy) return;
  privacy.subjectKeys.forEach((key, i) => {
    if (!types.has(key)) report(`privacy.subjectKeys[${i}]`, `subject key ${unknownColumn(key, types)}`);
    else if (privacy.subjectKeys.indexOf(key) !== i) {
      report(`privacy.subjectKeys[${i}]`, `subject key "${key}" is listed twice`);
    }
  });
  const inputs = product.inputs.join(', ') || 'none';
  privacy.removes.forEach((removal, i) => {
    if (!product.inputs.includes(removal.input)) {
      report(
        `privacy.removes[${i}].input`,
        `"${removal.input}" is not one of the product's inputs (inputs: ${inputs})`,
      );
    }
  });
  privacy.declassification?.inputs?.forEach((input, i) => {
    if (!product.inputs.includes(input)) {
      report(
        `privacy.declassification.inputs[${i}]`,
        `"${input}" is not one of the product's inputs (inputs: ${inputs})`,
      );
    }
  });
}

export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}

/** Checks columns and partitions; returns the parsed type of every column by name. */
function checkSchema(schema: ProductSchemaDefinition, at: string, report: Report): Map<string, ColumnType> {
  const types = new Map<string, ColumnType>();
  schema.columns.forEach((column, i) => {
    const path = `${at}.columns[${i}]`;
    if (types.has(column.name)) {
      report(`${path}.name`, `duplicate column "${column.name}" (column names must be unique; Athena ignores case)`);
      return;
    }
    const type = parseColumnType(column.type);
    types.set(column.name, type);
    if (schema.format === 'iceberg' && icebergType(type) === undefined) {
      report(
        `${path}.type`,
        `an iceberg table takes string, varchar(n), int, bigint, double, decimal(p,s), boolean, date, timestamp or binary columns; got ${column.type} (CloudFormation declares Iceberg field types as plain strings, so nested types cannot be deployed)`,
      );
    }
    if (column.partition) {
      const partitionable =
        isTextType(type) || (type.kind === 'primitive' && ['int', 'bigint', 'date'].includes(type.name));
      if (!partitionable) {
        report(`${path}.type`, `partition columns must be string, int, bigint or date; got ${column.type}`);
      }
      if (column.partition === true) {
        if (schema.format !== 'iceberg') {
          report(
            `${path}.partition`,
            `a ${schema.format} table needs partition projection settings ({ projection: "date", range } | { projection: "integer", range } | { projection: "enum", values } | { projection: "injected" }); \`partition: true\` is for iceberg tables`,
          );
        }
        return;
      }
      if (schema.format === 'iceberg') {
        report(
          `${path}.partition`,
          'an iceberg table partitions by the column itself and needs no projection settings: write `partition: true`',
        );
        return;
      }
      const projection = column.partition.projection;
      const projectable: Record<string, (t: ColumnType) => boolean> = {
        date: (t) => isTextType(t) || (t.kind === 'primitive' && t.name === 'date'),
        integer: (t) => t.kind === 'primitive' && (t.name === 'int' || t.name === 'bigint'),
        enum: (t) => isTextType(t),
        injected: (t) => isTextType(t) || (t.kind === 'primitive' && (t.name === 'int' || t.name === 'bigint')),
      };
      // Settings as Athena reads them; a day that does not exist (2019-02-30) is refused, not rolled over.
      for (const problem of checkPartitionProjection(column.partition, type)) {
        report(`${path}.partition.${problem.field}`, problem.message);
      }
      if (!projectable[projection](type)) {
        report(
          `${path}.partition.projection`,
          `"${projection}" projection does not fit a ${column.type} column (date: string or date; integer: int or bigint; enum: string)`,
        );
      }
    }
  });
  if (schema.columns.length > 0 && schema.columns.every((c) => c.partition)) {
    report(`${at}.columns`, 'every column is a partition column; a table needs at least one data column');
  }
  return types;
}

function unknownColumn(name: string, types: Map<string, ColumnType>): string {
  return `column "${name}" is not in the schema (columns: ${[...types.keys()].join(', ')})`;
}

function checkQualityRules(rules: readonly QualityRule[], types: Map<string, ColumnType>, report: Report): void {
  const sqlNames = new Set<string>();
  rules.forEach((rule, i) => {
    const path = `quality[${i}]`;
    const columnType = (name: string, field = 'column'): ColumnType | undefined => {
      const type = types.get(name);
      if (!type) report(`${path}.${field}`, unknownColumn(name, types));
      return type;
    };

    if (rule.rule !== 'freshness') {
      const comparators = (['mustBe', 'mustBeLessThan', 'mustBeGreaterThan', 'mustBeBetween'] as const).filter(
        (key) => rule[key] !== undefined,
      );
      if (comparators.length > 1) {
        report(path, `a rule takes one threshold, got ${comparators.join(' and ')} (use mustBeBetween for two bounds)`);
      }
      if (rule.mustBeBetween && rule.mustBeBetween[0] > rule.mustBeBetween[1]) {
        report(`${path}.mustBeBetween`, 'lower bound is above the upper bound');
      }
      if (rule.unit === 'percent' && (rule.rule === 'rowCount' || rule.rule === 'sql')) {
        report(`${path}.unit`, `${rule.rule} measures a number, not a percent of rows`);
      }
    }

    switch (rule.rule) {
      case 'rowCount':
        break;
      case 'notNull':
      case 'nullValues':
        columnType(rule.column);
        break;
      case 'unique': {
        if ((rule.column === undefined) === (rule.columns === undefined)) {
          report(path, 'unique needs either "column" or "columns" (for a composite key), not both or neither');
        }
        if (rule.column) columnType(rule.column);
        rule.columns?.forEach((c, j) => {
          columnType(c, `columns[${j}]`);
        });
        break;
      }
      case 'acceptedValues': {
        const type = columnType(rule.column);
        if (type && isTextType(type) && rule.values.some((v) => typeof v !== 'string')) {
          report(`${path}.values`, `"${rule.column}" is text; accepted values must be strings`);
        } else if (type && isNumericType(type) && rule.values.some((v) => typeof v !== 'number')) {
          report(`${path}.values`, `"${rule.column}" is numeric; accepted values must be numbers`);
        } else if (type && !isTextType(type) && !isNumericType(type)) {
          report(
            `${path}.column`,
            `accepted values apply to text or numeric columns; "${rule.column}" is ${renderGlueType(type)}`,
          );
        }
        break;
      }
      case 'range': {
        const type = columnType(rule.column);
        if (type && !isNumericType(type)) {
          report(
            `${path}.column`,
            `range applies to numeric columns (int, bigint, double, decimal); "${rule.column}" is ${renderGlueType(type)}`,
          );
        }
        if (rule.min === undefined && rule.max === undefined) report(path, 'range needs "min", "max" or both');
        if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
          report(`${path}.min`, 'min is above max');
        break;
      }
      case 'pattern': {
        const type = columnType(rule.column);
        if (type && !isTextType(type)) {
          report(
            `${path}.column`,
            `pattern applies to string or varchar columns; "${rule.column}" is ${renderGlueType(type)}`,
          );
        }
        try {
          new RegExp(rule.pattern);
        } catch (err) {
          report(`${path}.pattern`, `not a valid regular expression: ${(err as Error).message}`);
        }
        break;
      }
      case 'length': {
        const type = columnType(rule.column);
        if (type && !isTextType(type)) {
          report(
            `${path}.column`,
            `length applies to string or varchar columns; "${rule.column}" is ${renderGlueType(type)}`,
          );
        }
        if (rule.min === undefined && rule.max === undefined) report(path, 'length needs "min", "max" or both');
        if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
          report(`${path}.min`, 'min is above max');
        break;
      }
      case 'freshness': {
        const type = columnType(rule.column);
        if (type && !isTemporalType(type)) {
          report(
            `${path}.column`,
            `freshness applies to date or timestamp columns; "${rule.column}" is ${renderGlueType(type)}`,
          );
        }
        break;
      }
      case 'sql': {
        if (sqlNames.has(rule.name)) report(`${path}.name`, `sql rule name "${rule.name}" is used twice`);
        sqlNames.add(rule.name);
        const problem = checkReadOnlySelect(rule.query);
        if (problem) report(`${path}.query`, problem);
        break;
      }
    }
  });
}

/**
 * A build's definition on its own: what it writes to, when it runs, and which placeholders its SQL uses. The
 * SQL against the inputs' schemas is checked by lib/build/validate-builds.ts, which needs the mesh and DuckDB.
 */
function checkBuild(product: ProductDefinition, report: Report): void {
  const { build } = product;
  if (build && product.monitor) {
    report(
      'monitor',
      'a product with a build is checked by every run of its build; remove monitor (its rules run on each build before publishing)',
    );
  }
  if (!build) return;
  const { format, columns } = product.schema;
  if (format !== 'iceberg') {
    report(
      'schema.format',
      `a product with a build must have format: 'iceberg', got '${format}' (a run publishes its checked rows with one MERGE, which only an Iceberg table supports)`,
    );
  }
  if (!columns.some((c) => c.primaryKey)) {
    report(
      'schema.columns',
      'a product with a build needs at least one column with primaryKey: true (publishing merges on the primary key, so re-running a period replaces its rows instead of duplicating them)',
    );
  }
  if (build.mode === 'partition-overwrite' && !columns.some((c) => c.partition)) {
    report(
      'build.mode',
      'mode "partition-overwrite" replaces the partitions a run produced, but no column has partition: true (partition the table, or use "full-refresh" or "append")',
    );
  }

  checkSchedule(build.schedule, 'build.schedule', report);
  const zone = checkTimeZone(build.timezone);
  if (zone) report('build.timezone', zone);

  const statement = checkReadOnlySelect(blankComments(build.sql), "returning the product's columns");
  if (statement) report('build.sql', statement);
  for (const problem of checkPortableSql(build.sql)) report('build.sql', problem);
  const placeholders = parsePlaceholders(build.sql);
  for (const placeholder of placeholders) {
    const { line, column } = lineAndColumn(build.sql, placeholder.offset);
    const at = ` (SQL line ${line}, column ${column})`;
    if (placeholder.kind === 'unknown') report('build.sql', `${placeholder.reason}${at}`);
    else if (placeholder.kind === 'input' && !product.inputs.includes(placeholder.reference)) {
      report(
        'build.sql',
        `${placeholder.text} is not one of the product's inputs (inputs: ${product.inputs.join(', ') || 'none'}); add "${placeholder.reference}" to inputs, which grants the build read access${at}`,
      );
    }
  }
  if (!placeholders.some((p) => p.kind === 'input')) {
    report(
      'build.sql',
      `the build reads no input: write {input:<domain>/<product>@<major>} for each table it reads (inputs: ${product.inputs.join(', ') || 'none'})`,
    );
  }
}

/** A schedule of a build or a monitor: an expression Scheduler accepts, and recurring. */
function checkSchedule(expression: string, at: string, report: Report): void {
  const schedule = parseSchedule(expression);
  if ('error' in schedule) report(at, schedule.error);
  else if (schedule.schedule.kind === 'at') {
    report(
      at,
      `${expression} runs once; a ${at.split('.')[0]} needs a recurring schedule: rate(...) or cron(...) (start a one-off run with mesh run)`,
    );
  }
}

const WRITE_KEYWORDS =
  /\b(insert|update|delete|merge|drop|create|alter|truncate|grant|revoke|call|execute|unload|msck|vacuum|optimize)\b/i;

/** A custom SQL rule (or a build) must be one read-only SELECT; returns what is wrong, if anything. */
export function checkReadOnlySelect(query: string, returning = 'returning one number'): string | undefined {
  const withoutStrings = query.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
  const trimmed = withoutStrings.trim().replace(/;\s*$/, '');
  if (trimmed.includes(';')) return 'must be a single statement (found ";" inside)';
  if (/--|\/\*/.test(trimmed)) return 'must not contain SQL comments';
  if (!/^(select|with)\b/i.test(trimmed)) return `must be a read-only SELECT (or WITH ... SELECT) ${returning}`;
  const write = WRITE_KEYWORDS.exec(trimmed);
  if (write) return `must be read-only; found "${write[1]}"`;
  return undefined;
}
