import type { ResourceRule, Violation } from '../../model';
import { asList, get, type Json } from '../../template/resolved-resource';
import { cannotVerify, expectedNames } from '../expectations';

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/** MESH-GLUE-001: explicit lowercase database, table and column names. */
export const glueNames: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-001',
  severity: 'error',
  title: 'Glue databases, tables and columns have explicit lowercase names',
  explanation:
    "Athena only reads lowercase names of letters, digits and underscores (at most 255); an unnamed Glue database gets a generated name Athena can't use. Databases start with <prefix>_<domain> so other domains can derive them.",
  fix: 'name databases and tables from the naming helpers (lib/mesh/naming.ts); column names come from the definition',
  resourceTypes: ['AWS::Glue::Database', 'AWS::Glue::Table'],
  check(resource, context) {
    const { template } = context;
    const database = resource.type === 'AWS::Glue::Database';
    const input = database ? 'DatabaseInput' : 'TableInput';
    const value = get(resource.properties, input, 'Name');
    if (value === undefined) return [{ finding: 'Name', message: `has no explicit ${input}.Name` }];
    const name = template.render(value);
    if (name === undefined) return [cannotVerify(`${input}.Name`, value, template, 'Name')];
    const violations: Violation[] = [];
    if (!GLUE_NAME.test(name)) {
      violations.push({
        finding: 'Name',
        message: `name "${name}" is not lowercase letters, digits and "_" (at most 255)`,
      });
    }
    const prefix = expectedNames(context).gluePrefix;
    if (database && !name.startsWith(prefix)) {
      violations.push({ finding: 'Name', message: `database name "${name}" does not start with ${prefix}` });
    }
    if (!database) {
      const columns: Json[] = [
        ...asList(get(resource.properties, 'TableInput', 'StorageDescriptor', 'Columns')),
        ...asList(get(resource.properties, 'TableInput', 'PartitionKeys')),
      ];
      for (const column of columns) {
        const columnName = get(column, 'Name');
        if (typeof columnName !== 'string' || !GLUE_NAME.test(columnName)) {
          violations.push({
            finding: `Column::${String(columnName)}`,
            message: `column name "${String(columnName)}" is not lowercase letters, digits and "_"`,
          });
        }
      }
    }
    return violations;
  },
};
