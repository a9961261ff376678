import type { ResourceRule } from '../../model';

/** MESH-KMS-001: automatic rotation on symmetric keys. */
export const keyRotation: ResourceRule = {
  kind: 'resource',
  id: 'MESH-KMS-001',
  severity: 'error',
  title: 'KMS keys rotate automatically',
  explanation:
    'Yearly rotation limits how much data one key version protects, with no change for readers. Only symmetric encryption keys can rotate, so other key specs are not checked.',
  fix: 'set enableKeyRotation: true on the key',
  resourceTypes: ['AWS::KMS::Key'],
  appliesTo: (key) => {
    const spec = key.properties.KeySpec;
    return spec === undefined || spec === 'SYMMETRIC_DEFAULT';
  },
  check(key) {
    return key.properties.EnableKeyRotation === true ? [] : [{ message: 'automatic key rotation is off' }];
  },
};
