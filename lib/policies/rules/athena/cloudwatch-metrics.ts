import type { ResourceRule } from '../../model';
import { workgroupConfiguration } from './workgroup-config';

/** MESH-ATH-006: query metrics published. */
export const cloudWatchMetrics: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-006',
  severity: 'error',
  title: 'Workgroups publish query metrics to CloudWatch',
  explanation:
    "Bytes scanned and query time per workgroup are how a domain sees its cost and its consumers' load; without the metrics the scan limit is the only signal.",
  fix: 'set workGroupConfiguration.publishCloudWatchMetricsEnabled: true',
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup) {
    return workgroupConfiguration(workgroup, 'PublishCloudWatchMetricsEnabled') === true
      ? []
      : [{ message: 'does not publish CloudWatch metrics' }];
  },
};
