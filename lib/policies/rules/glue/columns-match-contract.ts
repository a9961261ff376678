import { parseColumnType, renderGlueType } from '../../../definition/column-type';
import type { Column } from '../../../definition/schema';
import { STAGING_COLUMNS } from '../../../runtime/statements';
import type { ResourceRule, Violation } from '../../model';
import { asList, get, type Json } from '../../template/resolved-resource';
import { tableRole } from './product-table';

interface NamedType {
  readonly name: string;
  readonly type: string;
}

/** Glue rendering of each type text, parsed once per distinct text (tables repeat a handful of types). */
const glueTypes = new Map<string, string>();

function glueType(text: string): string {
  let rendered = glueTypes.get(text);
  if (rendered === undefined) {
    rendered = renderGlueType(parseColumnType(text));
    glueTypes.set(text, rendered);
  }
  return rendered;
}

function expected(columns: readonly Column[]): NamedType[] {
  return columns.map((c) => ({ name: c.name, type: glueType(c.type) }));
}

function actual(list: Json | undefined): NamedType[] {
  return asList(list).map((c) => ({ name: String(get(c, 'Name')), type: String(get(c, 'Type')) }));
}

function compare(kind: string, want: NamedType[], have: NamedType[]): Violation[] {
  const violations: Violation[] = [];
  const haveByName = new Map(have.map((c, i) => [c.name, { ...c, index: i }]));
  want.forEach((column, i) => {
    const found = haveByName.get(column.name);
    if (!found)
      violations.push({
        finding: `Column::${column.name}`,
        message: `${kind} "${column.name}" of the contract is missing`,
      });
    else if (found.type !== column.type) {
      violations.push({
        finding: `Column::${column.name}`,
        message: `${kind} "${column.name}" is ${found.type}, the contract says ${column.type}`,
      });
    } else if (found.index !== i) {
      violations.push({
        finding: `Column::${column.name}`,
        message: `${kind} "${column.name}" is at position ${found.index + 1}, the contract says ${i + 1}`,
      });
    }
  });
  const wanted = new Set(want.map((c) => c.name));
  for (const column of have) {
    if (!wanted.has(column.name))
      violations.push({
        finding: `Column::${column.name}`,
        message: `${kind} "${column.name}" is not in the contract`,
      });
  }
  return violations;
}

/** MESH-GLUE-004: a product table's columns are its contract's. */
export const columnsMatchContract: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-004',
  severity: 'error',
  title: "A product table's columns equal its contract",
  explanation:
    'Consumers read the table, not the definition file: its columns, types, order and partition keys must be exactly those of the product version the table serves. A table named after no live major is an orphan.',
  fix: 'let DataProduct build the table from the definition; change columns in the product file (a breaking change is a new major)',
  resourceTypes: ['AWS::Glue::Table'],
  appliesTo: (_table, context) => context.product !== undefined,
  check(table, { product, template }) {
    if (!product) return [];
    const role = tableRole(table, product, template);
    if (!role) {
      return [
        {
          finding: 'Name',
          message: `table ${template.describe(get(table.properties, 'TableInput', 'Name'))} serves no live major of ${product.id} (live: ${product.versions.map((v) => `v${v.major}`).join(', ')})`,
        },
      ];
    }
    const { version, staging } = role;
    // Iceberg keeps partitioning in its own metadata: every column is a storage column. Staged rows add bookkeeping.
    const inStorage = staging || version.schema.format === 'iceberg';
    const columns = staging ? [...version.schema.columns, ...STAGING_COLUMNS] : version.schema.columns;
    return [
      ...compare(
        'column',
        expected(columns.filter((c) => inStorage || !c.partition)),
        actual(get(table.properties, 'TableInput', 'StorageDescriptor', 'Columns')),
      ),
      ...compare(
        'partition key',
        expected(columns.filter((c) => !inStorage && c.partition)),
        actual(get(table.properties, 'TableInput', 'PartitionKeys')),
      ),
    ];
  },
};
