import type { StackRule } from '../../model';
import { formatCount, quotaSeverity } from './quota-check';

/** CloudFormation's limit for a template uploaded through S3. */
export const MAX_TEMPLATE_BYTES = 1_048_576;
/** Description, parameters, rules and outputs CDK writes besides the resources. */
const TEMPLATE_OVERHEAD = 2_048;
/** Indented templates are about twice the size of compact ones. */
const INDENTATION_FACTOR = 2;

/** MESH-QUOTA-002: estimated template size. */
export const templateSize: StackRule = {
  kind: 'stack',
  id: 'MESH-QUOTA-002',
  severity: 'error',
  title: 'A template stays under 1 MB',
  explanation:
    'CloudFormation accepts templates up to 1 MB (through S3; 51,200 bytes inline). The size is estimated from the resolved resources; above 90% a warning asks for productShards. Suppressing template indentation (a cdk.json feature flag) halves it.',
  fix: 'set productShards in the domain file, or keep @aws-cdk/core:suppressTemplateIndentation on',
  check(template) {
    let chars = TEMPLATE_OVERHEAD;
    for (const resource of template.resources.values()) chars += resource.templateChars;
    const estimate = template.indented ? chars * INDENTATION_FACTOR : chars;
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
