import type { ResourceRule } from '../../model';
import { workgroupConfiguration } from './workgroup-config';

/** MESH-ATH-005: a pinned engine version. */
export const explicitEngineVersion: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-005',
  severity: 'error',
  title: 'Workgroups pin the Athena engine version',
  explanation:
    'An automatic engine upgrade changes SQL semantics under running quality checks and consumers. The version is pinned, so an upgrade is a reviewed change.',
  fix: "set workGroupConfiguration.engineVersion: { selectedEngineVersion: 'Athena engine version 3' }",
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup) {
    const version = workgroupConfiguration(workgroup, 'EngineVersion', 'SelectedEngineVersion');
    if (version === undefined) return [{ message: 'does not pin an engine version (AUTO upgrades)' }];
    return version === 'AUTO' ? [{ message: 'selects the engine version AUTO' }] : [];
  },
};
