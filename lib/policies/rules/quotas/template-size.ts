import type { StackRule } from '../../model';
import type { TemplateView } from '../../template/template-view';
import { formatCount, quotaSeverity } from './quota-check';

/** CloudFormation's limit for a template uploaded through S3. */
export const MAX_TEMPLATE_BYTES = 1_048_576;
/** Description, parameters, rules and outputs CDK writes besides the resources, when estimating. */
const TEMPLATE_OVERHEAD = 2_048;

function estimateBytes(template: TemplateView): number {
  let bytes = TEMPLATE_OVERHEAD;
  for (const resource of template.resources.values()) {
    const body = { Type: resource.type, Properties: resource.properties };
    bytes += resource.logicalId.length + Buffer.byteLength(JSON.stringify(body, null, template.indented ? 1 : 0));
  }
  return bytes;
}

/** MESH-QUOTA-002: template size. */
export const templateSize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-002',
  severity: 'error',
  title: 'A template stays under 1 MB',
  explanation:
    'CloudFormation accepts templates up to 1 MB (through S3; 51,200 bytes inline). The written template is measured (estimated from its resources when it is not written yet); above 90% a warning asks for productShards. Suppressing template indentation (a cdk.json feature flag) halves it.',
  fix: 'set productShards in the domain file, or keep @aws-cdk/core:suppressTemplateIndentation on',
  check(template) {
    const estimate = template.templateBytes ?? estimateBytes(template);
    const severity = quotaSeverity(estimate, MAX_TEMPLATE_BYTES);
    if (!severity) return [];
    return [
      {
        severity,
        message: `${template.stackPath} is about ${formatCount(Math.round(estimate / 1024))} KiB (limit 1,024 KiB)`,
      },
    ];
  },
};
