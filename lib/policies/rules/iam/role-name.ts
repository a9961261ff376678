import type { ResourceRule, Violation } from '../../model';
import { cannotVerify, expectedNames } from '../expectations';

const IAM_NAME = /^[\w+=,.@-]+$/;

/** MESH-IAM-007: explicit role names under the domain's prefix, within IAM's rules. */
export const roleName: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-007',
  severity: 'error',
  title: "Roles have explicit names under the domain's prefix",
  explanation:
    "Other domains' bucket and key policies name roles by ARN, derived from the definitions, so a role needs an explicit name starting with <prefix>-<domain>-. IAM allows 64 characters of letters, digits and +=,.@-.",
  fix: 'set roleName from the naming helpers (lib/mesh/naming.ts)',
  resourceTypes: ['AWS::IAM::Role'],
  check(role, context) {
    const value = role.properties.RoleName;
    if (value === undefined) return [{ message: 'has no explicit RoleName (CloudFormation would generate one)' }];
    const name = context.template.render(value);
    if (name === undefined) return [cannotVerify('RoleName', value, context.template)];
    const violations: Violation[] = [];
    const prefix = expectedNames(context).kebabPrefix;
    if (!name.startsWith(prefix))
      violations.push({ finding: 'Prefix', message: `name ${name} does not start with ${prefix}` });
    if (name.length > 64)
      violations.push({ finding: 'Length', message: `name ${name} has ${name.length} characters (IAM allows 64)` });
    if (!IAM_NAME.test(name))
      violations.push({ finding: 'Characters', message: `name ${name} uses characters IAM does not allow` });
    return violations;
  },
};
