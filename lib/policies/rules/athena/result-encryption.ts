import type { ResourceRule } from '../../model';
import { cannotVerify, isDomainKey } from '../expectations';
import { workgroupConfiguration } from './workgroup-config';

/** MESH-ATH-002: query results encrypted with SSE_KMS and the domain key. */
export const resultEncryption: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-002',
  severity: 'error',
  exceptable: false,
  title: "Query results are encrypted with the domain's KMS key",
  explanation:
    "Query results are copies of product data and need the same protection: SSE_KMS with the domain's customer managed key.",
  fix: "set resultConfiguration.encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: domain key ARN }",
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup, context) {
    const { template } = context;
    const option = workgroupConfiguration(
      workgroup,
      'ResultConfiguration',
      'EncryptionConfiguration',
      'EncryptionOption',
    );
    if (option !== 'SSE_KMS') {
      return [
        {
          finding: 'EncryptionOption',
          message: `results are encrypted with ${option === undefined ? 'nothing' : String(option)}, not SSE_KMS`,
        },
      ];
    }
    const keyValue = workgroupConfiguration(workgroup, 'ResultConfiguration', 'EncryptionConfiguration', 'KmsKey');
    if (keyValue === undefined) return [{ finding: 'KmsKey', message: 'SSE_KMS without a KmsKey' }];
    const key = template.render(keyValue);
    if (key === undefined) return [cannotVerify('KmsKey', keyValue, template, 'KmsKey')];
    return isDomainKey(key, context)
      ? []
      : [
          {
            finding: 'KmsKey',
            message: `results are encrypted with ${template.describe(keyValue)}, not the domain key (${context.names.keyAlias})`,
          },
        ];
  },
};
