import type { ResourceRule, Violation } from '../../model';
import { cannotVerify, expectedNames } from '../expectations';

/** MESH-ATH-007: saved queries live in the domain's workgroup and read its database. */
export const namedQueryInDomain: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-007',
  severity: 'error',
  title: "Named queries are saved in the domain's workgroup and database",
  explanation:
    "A named query saved without a workgroup lands in 'primary', outside the domain's enforced configuration and out of its roles' reach; one on another domain's database runs against data the domain does not own.",
  fix: "set workGroup and database to the domain's (domain.workgroupName, domain.databaseName)",
  resourceTypes: ['AWS::Athena::NamedQuery'],
  check(query, context) {
    const { template } = context;
    const expected = expectedNames(context);
    const violations: Violation[] = [];
    const workgroup = query.properties.WorkGroup;
    if (workgroup === undefined) {
      violations.push({ finding: 'WorkGroup', message: "is saved in the 'primary' workgroup (no WorkGroup)" });
    } else {
      const name = template.render(workgroup);
      if (name === undefined) violations.push(cannotVerify('WorkGroup', workgroup, template, 'WorkGroup'));
      else if (name !== expected.workgroup) {
        violations.push({
          finding: 'WorkGroup',
          message: `is saved in workgroup ${name}, not the domain's ${expected.workgroup}`,
        });
      }
    }
    const database = template.render(query.properties.Database);
    if (database === undefined)
      violations.push(cannotVerify('Database', query.properties.Database, template, 'Database'));
    else if (database !== expected.database) {
      violations.push({
        finding: 'Database',
        message: `reads database ${database}, not the domain's ${expected.database}`,
      });
    }
    return violations;
  },
};
