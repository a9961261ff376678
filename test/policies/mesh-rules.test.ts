/**
 * Definition rules, table-driven: a mesh built in memory with one product (or domain) breaking each rule,
 * beside a compliant product. Findings attach to the product's construct in its domain's stack, so the CDK
 * CLI names the right stack, and name the product file.
 */
import type { ProductDefinitionInput } from '../../lib/definition';
import { PLATFORM_RULES } from '../../lib/policies';
import { governedApp, type Level, messagesOf, text } from './support/apps';
import { buildMesh, domainSpec, productSpec } from './support/mesh-builder';

interface Case {
  readonly rule: string;
  readonly level: Level;
  /** Product (in domain `lab`) or, with `domain`, the domain that breaks the rule. */
  readonly product?: ProductDefinitionInput;
  readonly domain?: string;
  readonly says: string;
}

const undescribed = productSpec('undescribed');
const CASES: readonly Case[] = [
  { rule: 'MESH-PROD-001', level: 'warning', domain: 'bare', says: 'has no support channel' },
  {
    rule: 'MESH-PROD-002',
    level: 'warning',
    product: productSpec('no_usage', {
      description: { purpose: 'A product without usage notes.', limitations: 'None known.' },
    }),
    says: 'description has no usage',
  },
  {
    rule: 'MESH-PROD-003',
    level: 'error',
    product: {
      ...undescribed,
      schema: { columns: [...(undescribed.schema?.columns ?? []).slice(0, 2), { name: 'lines', type: 'string' }] },
    },
    says: 'column "lines" has no description. Fix: add description to schema.columns[2].',
  },
  {
    rule: 'MESH-PROD-004',
    level: 'warning',
    product: productSpec('inherited_class', { classification: undefined }),
    says: 'has no classification of its own (inherits "internal" from the domain)',
  },
  {
    rule: 'MESH-PROD-005',
    level: 'error',
    product: productSpec('pii_internal', {
      schema: { columns: [{ name: 'email', type: 'string', description: 'Customer email.', pii: true }] },
      access: { visibility: 'consumers', consumers: [{ domain: 'lab', purpose: 'support' }] },
    }),
    says: 'column "email" holds personal data but is classified internal',
  },
  { rule: 'MESH-PROD-006', level: 'error', product: productSpec('no_sla', { sla: undefined }), says: 'has no SLA' },
  {
    rule: 'MESH-DEF-001',
    level: 'error',
    product: productSpec('scaffolded', {
      description: { purpose: 'TODO: why Scaffolded exists.', usage: 'Query by day.', limitations: 'None known.' },
    }),
    says: 'description.purpose still holds the scaffolded TODO text',
  },
  {
    rule: 'MESH-PROD-007',
    level: 'error',
    product: productSpec('pii_everywhere', {
      classification: 'confidential',
      schema: { columns: [{ name: 'email', type: 'string', description: 'Customer email.', pii: true }] },
      access: { visibility: 'mesh' },
    }),
    says: 'holds personal or restricted data but is visible to the whole mesh',
  },
  {
    rule: 'MESH-PROD-008',
    level: 'warning',
    product: productSpec('reads_old', { inputs: ['lab/old_source@1'] }),
    says: 'input lab/old_source@1 is deprecated (domains/lab/products/old_source.ts)',
  },
  {
    rule: 'MESH-PROD-009',
    level: 'warning',
    product: productSpec('reserved', {
      schema: { columns: [{ name: 'order', type: 'string', description: 'Position in the list.' }] },
    }),
    says: 'column "order" is an Athena reserved word',
  },
  {
    rule: 'MESH-PROD-010',
    level: 'warning',
    product: productSpec('unchecked', { quality: [] }),
    says: 'declares no quality rules',
  },
  { rule: 'MESH-DOM-001', level: 'warning', domain: 'spendy', says: 'allows 2.0 TB per query' },
  {
    rule: 'MESH-CPT-001',
    level: 'warning',
    product: productSpec('lookalike', {
      schema: { columns: [{ name: 'cust_id', type: 'string', description: 'Customer who bought.' }] },
    }),
    says: 'column "cust_id" is named like concept "customer_id" but does not reference it',
  },
  {
    rule: 'MESH-CPT-002',
    level: 'error',
    product: productSpec('no_currency', {
      schema: { columns: [{ name: 'price', concept: 'money_amount', type: 'decimal(10,2)', description: 'Price.' }] },
    }),
    says: 'column "price" is an amount (concept "money_amount") but names no currency',
  },
  {
    rule: 'MESH-CPT-003',
    level: 'warning',
    product: productSpec('slashed_days', {
      schema: {
        columns: [
          {
            name: 'event_date',
            type: 'string',
            description: 'Partition day.',
            partition: { projection: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy/MM/dd' },
          },
        ],
      },
    }),
    says: 'day partition "event_date" is written yyyy/MM/dd, not yyyy-MM-dd',
  },
  {
    rule: 'MESH-PRIV-002',
    level: 'error',
    product: productSpec('contacts', {
      classification: 'confidential',
      schema: {
        columns: [
          { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
          { name: 'email', type: 'string', description: 'Contact email.', pii: true },
        ],
      },
      quality: [],
      sla: { updateFrequency: 'daily', retention: '1 year' },
      access: { visibility: 'consumers', consumers: [{ domain: 'lab', purpose: 'Support' }] },
    }),
    says: "holds personal data (email) but declares no subject key. Fix: declare privacy: { subjectKeys: ['id'] }",
  },
  {
    rule: 'MESH-PRIV-001',
    level: 'error',
    product: productSpec('contact_counts', { archetype: 'aggregate', inputs: ['lab/contacts@1'] }),
    says: 'reads sensitive data of lab/contacts@1 — email (pii) — but it is classified internal (needs confidential or stricter), it is visible to the whole mesh',
  },
  {
    rule: 'MESH-PRIV-003',
    level: 'warning',
    product: productSpec('unmarked_contact', {
      schema: { columns: [{ name: 'contact_email', type: 'string', description: 'Where receipts are sent.' }] },
    }),
    says: 'column "contact_email" looks like personal data but is not marked pii: email address (name "contact_email")',
  },
];

const mesh = buildMesh([
  {
    domain: domainSpec('lab'),
    products: [
      productSpec('compliant'),
      productSpec('old_source', { status: 'deprecated' }),
      ...CASES.flatMap((c) => (c.product ? [c.product] : [])),
    ],
  },
  { domain: domainSpec('bare', { support: [] }), products: [productSpec('unsupported')] },
  {
    domain: domainSpec('spendy', {
      athena: { bytesScannedCutoffPerQuery: 2_000_000_000_000, resultRetentionDays: 30 },
    }),
    products: [productSpec('big_scan')],
  },
]);
const { stacks } = governedApp(mesh);

function pascal(name: string): string {
  return name
    .split('_')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** Where a case's finding attaches: the product's construct, or the domain's for domain rules. */
function target(c: Case): { stack: string; path: string; file: string } {
  if (c.product) {
    return {
      stack: 'lab',
      path: `/Mesh-Lab/${pascal(c.product.name)}`,
      file: `domains/lab/products/${c.product.name}.ts`,
    };
  }
  const domain = c.domain as string;
  if (c.rule === 'MESH-DOM-001')
    return { stack: domain, path: `/Mesh-${pascal(domain)}/Domain`, file: `domains/${domain}/domain.ts` };
  return {
    stack: domain,
    path: `/Mesh-${pascal(domain)}/Unsupported`,
    file: `domains/${domain}/products/unsupported.ts`,
  };
}

describe('definition rules: non-compliant definitions fail', () => {
  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const { stack, path, file } = target(c);
    const messages = messagesOf(stacks.get(stack)!, c.level, c.rule, path).map(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`] ${file}: `);
    expect(messages[0]).toContain(c.says);
  });

  test('the message reads: rule, file, what, fix', () => {
    const [message] = messagesOf(stacks.get('lab')!, 'error', 'MESH-PROD-003', '/Mesh-Lab/Undescribed').map(text);
    expect(message).toBe(
      '[MESH-PROD-003[Column::lines]] domains/lab/products/undescribed.ts: column "lines" has no description. Fix: add description to schema.columns[2].',
    );
  });

  test("findings stay in their domain's stack", () => {
    for (const other of ['bare', 'spendy']) {
      expect(messagesOf(stacks.get(other)!, 'error', 'MESH-PROD-003')).toEqual([]);
    }
  });

  test('every definition rule has a non-compliant case', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(PLATFORM_RULES.filter((r) => r.kind === 'mesh' && !covered.has(r.id)).map((r) => r.id)).toEqual([]);
  });
});

describe('definition rules: compliant definitions pass', () => {
  test.each(PLATFORM_RULES.filter((r) => r.kind === 'mesh').map((r) => [r.id] as const))('%s', (id) => {
    const lab = stacks.get('lab')!;
    expect([
      ...messagesOf(lab, 'error', id, '/Mesh-Lab/Compliant'),
      ...messagesOf(lab, 'warning', id, '/Mesh-Lab/Compliant'),
    ]).toEqual([]);
    expect([...messagesOf(lab, 'warning', id, '/Mesh-Lab/Domain')]).toEqual([]);
  });
});
