import type { ResourceRule, Violation } from '../../model';
import { isCustomerKey } from './runtime-context';

/** MESH-RUN-003: log groups expire their events and encrypt them with a customer managed key. */
export const logGroupRetentionAndKey: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-003',
  severity: 'error',
  title: 'Log groups have a retention and a KMS key',
  explanation:
    'Execution logs include execution data (query ids, measured values, error causes). Without a retention they are kept and billed forever; without a key of the domain they are readable by anyone with logs access in the account.',
  fix: "set retention (logs.RetentionDays) and encryptionKey: <the domain's runtime key> on the log group",
  resourceTypes: ['AWS::Logs::LogGroup'],
  check(group, context) {
    const violations: Violation[] = [];
    if (typeof group.properties.RetentionInDays !== 'number')
      violations.push({ finding: 'Retention', message: 'keeps events forever (no RetentionInDays)' });
    const key = group.properties.KmsKeyId;
    if (key === undefined) violations.push({ finding: 'KmsKeyId', message: 'is not encrypted with a KMS key' });
    else if (!isCustomerKey(key, context.template))
      violations.push({
        finding: 'KmsKeyId',
        message: `names no customer managed key (${context.template.describe(key)})`,
      });
    return violations;
  },
};
