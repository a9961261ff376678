import type { ResourceRule } from '../../model';
import { workgroupConfiguration } from './workgroup-config';

/** Athena's lowest accepted cutoff. */
const ATHENA_MINIMUM_CUTOFF = 10_000_000;

/** MESH-ATH-004: a per-query scan limit. */
export const bytesScannedCutoff: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-004',
  severity: 'error',
  title: 'Workgroups limit the bytes a query may scan',
  explanation:
    'Athena bills per byte scanned; one query without a partition filter can scan a whole product. BytesScannedCutoffPerQuery cancels it (Athena accepts 10,000,000 bytes or more); domains set it in athena.bytesScannedCutoffPerQuery.',
  fix: 'set workGroupConfiguration.bytesScannedCutoffPerQuery (the domain default is 100 GB)',
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup) {
    const cutoff = workgroupConfiguration(workgroup, 'BytesScannedCutoffPerQuery');
    if (cutoff === undefined) return [{ message: 'has no per-query scan limit (BytesScannedCutoffPerQuery)' }];
    if (typeof cutoff !== 'number' || cutoff < ATHENA_MINIMUM_CUTOFF) {
      return [
        { message: `BytesScannedCutoffPerQuery is ${String(cutoff)}; Athena needs at least ${ATHENA_MINIMUM_CUTOFF}` },
      ];
    }
    return [];
  },
};
