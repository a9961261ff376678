import type { ResourceRule } from '../../model';
import { isCustomerKey } from './runtime-context';

/** MESH-RUN-004: SNS topics encrypt messages with a customer managed key. */
export const topicEncryption: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-004',
  severity: 'error',
  exceptable: false,
  title: 'SNS topics are encrypted with a customer managed KMS key',
  explanation:
    "Alerts name products, failed rules and measured values. A topic without KmsMasterKeyId stores messages unencrypted; the AWS managed key (alias/aws/sns) cannot let CloudWatch alarms publish, so the domain's runtime key is the one that works.",
  fix: "set masterKey: <the domain's runtime key> on the topic",
  resourceTypes: ['AWS::SNS::Topic'],
  check(topic, context) {
    const key = topic.properties.KmsMasterKeyId;
    if (key === undefined) return [{ message: 'has no KmsMasterKeyId (messages are stored unencrypted)' }];
    return isCustomerKey(key, context.template)
      ? []
      : [{ message: `is encrypted with ${context.template.describe(key)}, not a customer managed key` }];
  },
};
