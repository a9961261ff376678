/**
 * Text of new domain and product files for `mesh new`. The templates are structurally valid; what a person
 * must write is marked TODO, and `mesh validate`/synth refuse a TODO left in place (MESH-DEF-001).
 */
import { SNAKE_CASE } from '../definition/schema';

export function checkScaffoldName(kind: 'domain' | 'product', name: string): string | undefined {
  if (!SNAKE_CASE.test(name)) {
    return `${kind} name "${name}" must be snake_case: lowercase letters, digits and single underscores, starting with a letter`;
  }
  if (kind === 'domain' && name.length > 24) return `domain name "${name}" must be at most 24 characters`;
  return undefined;
}

function title(name: string): string {
  return name
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

export function domainTemplate(name: string): string {
  return `import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: '${name}',
  title: '${title(name)}',
  description: 'TODO: what the ${title(name)} domain is responsible for.',
  owner: { team: '${title(name)} Data', email: '${name.replace(/_/g, '-')}-data@example.com' },
  support: [{ channel: 'email', url: 'mailto:${name.replace(/_/g, '-')}-data@example.com' }],
  costCenter: 'CC-0000',
  defaults: { classification: 'internal' },
});
`;
}

export function productTemplate(name: string): string {
  return `import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: '${name}',
  version: '0.1.0',
  title: '${title(name)}',
  description: {
    purpose: 'TODO: why ${title(name)} exists and who it is for.',
    usage: 'TODO: how to query it well (partitions, joins, units).',
    limitations: 'TODO: what it must not be used for, and what it does not cover.',
  },
  archetype: 'source-aligned',
  status: 'draft',
  tags: [],
  classification: 'internal',
  schema: {
    format: 'parquet',
    columns: [
      { name: 'id', type: 'string', description: 'TODO: what identifies a row.', required: true, unique: true, primaryKey: true },
      { name: 'updated_at', type: 'timestamp', description: 'When the row last changed (UTC).', required: true },
      {
        name: 'event_date',
        type: 'string',
        description: 'Day of the row (UTC), yyyy-MM-dd; partition key.',
        required: true,
        partition: { projection: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd', interval: 1, unit: 'DAYS' },
      },
    ],
  },
  sla: { updateFrequency: 'daily', freshness: { within: '26 hours', column: 'updated_at' }, retention: '1 year' },
  quality: [
    { rule: 'notNull', column: 'id' },
    { rule: 'unique', column: 'id' },
  ],
  access: { visibility: 'domain' },
  inputs: [],
});
`;
}
