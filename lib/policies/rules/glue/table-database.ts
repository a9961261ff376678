import type { ResourceRule } from '../../model';
import { cannotVerify, expectedNames } from '../expectations';

/** MESH-GLUE-002: a domain's tables live in its own database. */
export const tableInDomainDatabase: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-002',
  severity: 'error',
  title: "Tables live in the owning domain's database",
  explanation:
    "A domain writes only its own catalog: a table created in another domain's database would be deployed and deleted by the wrong stack and escape that domain's grants.",
  fix: "set databaseName to the domain's database (domain.databaseName)",
  resourceTypes: ['AWS::Glue::Table'],
  check(table, context) {
    const { template } = context;
    const value = table.properties.DatabaseName;
    const name = template.render(value);
    if (name === undefined) return [cannotVerify('DatabaseName', value, template)];
    const expected = expectedNames(context).database;
    return name === expected ? [] : [{ message: `is in database ${name}, not the domain's database ${expected}` }];
  },
};
