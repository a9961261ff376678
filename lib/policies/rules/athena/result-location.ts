import type { ResourceRule } from '../../model';
import { cannotVerify, expectedNames } from '../expectations';
import { workgroupConfiguration } from './workgroup-config';

/** MESH-ATH-003: results land in the domain's results bucket. */
export const resultLocation: ResourceRule = {
  kind: 'resource',
  id: 'MESH-ATH-003',
  severity: 'error',
  exceptable: false,
  title: "Query results land in the domain's results bucket",
  explanation:
    "Results are copies of product data; they belong in the domain's Athena results bucket, which is encrypted, fenced and expires them.",
  fix: "set resultConfiguration.outputLocation: s3://<the domain's results bucket>/",
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(workgroup, context) {
    const { template } = context;
    const value = workgroupConfiguration(workgroup, 'ResultConfiguration', 'OutputLocation');
    if (value === undefined) return [{ message: 'has no result location (OutputLocation)' }];
    const location = template.render(value);
    if (location === undefined) return [cannotVerify('OutputLocation', value, template)];
    const expected = expectedNames(context).resultsBucket;
    const bucket = /^s3:\/\/([^/]+)/.exec(location)?.[1];
    return bucket === expected
      ? []
      : [{ message: `results go to ${location}, outside the domain's results bucket ${expected}` }];
  },
};
