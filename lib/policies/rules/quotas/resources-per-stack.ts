import type { StackRule } from '../../model';
import { formatCount, quotaSeverity } from './quota-check';

/** CloudFormation's hard limit of resources per template. */
export const MAX_RESOURCES = 500;

/** MESH-QUOTA-001: resources per template. */
export const resourcesPerStack: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-001',
  severity: 'error',
  title: 'A template holds at most 500 resources',
  explanation:
    'CloudFormation rejects a template with more than 500 resources. Above 90% a warning asks the domain to set productShards before the next products push it over; CDK adds one metadata resource, counted here.',
  fix: 'set productShards in the domain file so products spread over nested stacks',
  check(template) {
    // CDK adds its metadata resource after the walk.
    const count = template.resources.size + 1;
    const severity = quotaSeverity(count, MAX_RESOURCES);
    if (!severity) return [];
    return [
      { severity, message: `${template.stackPath} has ${formatCount(count)} resources (limit ${MAX_RESOURCES})` },
    ];
  },
};
