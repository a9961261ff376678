import { domainRuntimeNames } from '../../../runtime/names';
import type { ResourceRule, Violation } from '../../model';
import { cannotVerify, expectedNames } from '../expectations';

/** Marks an execution role name, `<prefix>-<domain>.run.…`; a "." cannot occur in a domain name. */
const EXECUTION_MARK = '.run.';

const IAM_NAME = /^[\w+=,.@-]+$/;

/** MESH-IAM-007: explicit role names under the domain's prefix, within IAM's rules. */
export const roleName: ResourceRule = {
  kind: 'resource',
  id: 'MESH-IAM-007',
  severity: 'error',
  title: "Roles have explicit names under the domain's prefix",
  explanation:
    "Other domains' bucket and key policies name roles by ARN, derived from the definitions, so a role needs an explicit name starting with <prefix>-<domain>- (or <prefix>-<domain>.run. for execution roles), and no path. Fences admit a domain's execution roles by the pattern <prefix>-<domain>.run.*, and other domains' roles by name, so a role may not carry another domain's prefix or execution-role mark. IAM allows 64 characters of letters, digits and +=,.@-.",
  fix: 'set roleName from the naming helpers (lib/mesh/naming.ts)',
  resourceTypes: ['AWS::IAM::Role'],
  check(role, context) {
    const value = role.properties.RoleName;
    if (value === undefined) return [{ message: 'has no explicit RoleName (CloudFormation would generate one)' }];
    const name = context.template.render(value);
    if (name === undefined) return [cannotVerify('RoleName', value, context.template)];
    const violations: Violation[] = [];
    const prefix = expectedNames(context).kebabPrefix;
    const { executionRolePrefix } = domainRuntimeNames(context.mesh.config, context.domain.name);
    if (!name.startsWith(prefix) && !name.startsWith(executionRolePrefix))
      violations.push({ finding: 'Prefix', message: `name ${name} does not start with ${prefix}` });
    else if (name.includes(EXECUTION_MARK) && !name.startsWith(executionRolePrefix))
      // e.g. acme-sales-eu.run.x in domain sales: it would match the execution-role pattern of domain sales_eu.
      violations.push({
        finding: 'ExecutionRoleMark',
        message: `name ${name} carries the execution-role mark "${EXECUTION_MARK}" of another domain; execution roles of this domain start with ${executionRolePrefix}`,
      });
    const longer = context.mesh.domains
      .map((d) => `${context.mesh.config.prefix}-${d.name.replace(/_/g, '-')}-`)
      .find((other) => other !== prefix && other.startsWith(prefix) && name.startsWith(other));
    if (longer)
      violations.push({
        finding: 'OtherDomain',
        message: `name ${name} starts with ${longer}, the prefix of another domain, whose fences may admit it`,
      });
    const path = role.properties.Path;
    if (path !== undefined && context.template.render(path) !== '/')
      violations.push({
        finding: 'Path',
        message: `has path ${context.template.describe(path)}; fences match role ARNs role/<name>, so roles have no path`,
      });
    if (name.length > 64)
      violations.push({ finding: 'Length', message: `name ${name} has ${name.length} characters (IAM allows 64)` });
    if (!IAM_NAME.test(name))
      violations.push({ finding: 'Characters', message: `name ${name} uses characters IAM does not allow` });
    return violations;
  },
};
