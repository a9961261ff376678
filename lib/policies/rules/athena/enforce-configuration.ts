import type { ResourceRule } from '../../model';
import { workgroupConfiguration } from './workgroup-config';

/** MESH-ATH-001: the workgroup's settings override the client's. */
export const enforceWorkgroupConfiguration: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-001',
  severity: 'error',
  exceptable: false,
  title: 'Workgroups enforce their configuration',
  explanation:
    "Without EnforceWorkGroupConfiguration a client may send results to any location, unencrypted, and skip the scan limit. Enforcing makes the workgroup's encryption, location and limits hold for every query.",
  fix: 'set workGroupConfiguration.enforceWorkGroupConfiguration: true',
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup) {
    return workgroupConfiguration(workgroup, 'EnforceWorkGroupConfiguration') === true
      ? []
      : [{ message: 'does not enforce its configuration (EnforceWorkGroupConfiguration)' }];
  },
};
