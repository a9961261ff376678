import type { ResourceRule } from '../../model';
import { openEndedAllows } from '../open-ended-allows';

/** MESH-KMS-003: key policy Allow statements name principals and actions. */
export const keyPolicyStatements: ResourceRule = {
  kind: 'resource',
  id: 'MESH-KMS-003',
  severity: 'error',
  exceptable: false,
  title: 'Key policy Allow statements name principals and actions',
  explanation:
    'NotPrincipal and NotAction in an Allow grant everything except a list; Principal "*" narrowed only by a condition depends on that condition being right. Deny statements may use them to fence the key.',
  fix: 'list the allowed principals and actions explicitly',
  resourceTypes: ['AWS::KMS::Key'],
  check(key) {
    return openEndedAllows(key.properties.KeyPolicy);
  },
};
