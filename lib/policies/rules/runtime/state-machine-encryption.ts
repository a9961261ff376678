import type { ResourceRule } from '../../model';
import { get } from '../../template/resolved-resource';
import { isCustomerKey } from './runtime-context';

/** MESH-RUN-002: state machines encrypt definitions and execution data with a customer managed key. */
export const stateMachineEncryption: ResourceRule = {
  kind: 'resource',
  id: 'MESH-RUN-002',
  severity: 'error',
  exceptable: false,
  title: 'State machines encrypt with a customer managed KMS key',
  explanation:
    "Execution inputs and outputs carry query ids, measured values and failure causes. With the domain's runtime key, who can read them is set by its key policy (and CloudTrail records each use); an AWS owned key answers to nobody's policy.",
  fix: "set encryptionConfiguration: new CustomerManagedEncryptionConfiguration(<the domain's runtime key>) on the state machine",
  resourceTypes: ['AWS::StepFunctions::StateMachine'],
  check(machine, context) {
    const encryption = machine.properties.EncryptionConfiguration;
    const type = get(encryption, 'Type');
    if (type !== 'CUSTOMER_MANAGED_KMS_KEY')
      return [{ message: `is encrypted with ${String(type ?? 'an AWS owned key')}, not CUSTOMER_MANAGED_KMS_KEY` }];
    const key = get(encryption, 'KmsKeyId');
    return isCustomerKey(key, context.template)
      ? []
      : [{ finding: 'KmsKeyId', message: `names no customer managed key (${context.template.describe(key)})` }];
  },
};
