/**
 * A mesh at the scale the access design must hold: a producer product read by 100 consumer domains, and a
 * consumer domain with 150 inputs spread over 100 producer domains, every product named differently (so no
 * two producer buckets share list prefixes — the worst case for policy size).
 *   hub/golden        v2 (current) and v1 (until its sunset), PII, shared with c000…c099 by name and purpose
 *   cNNN/derived_cNNN reads hub/golden (@2 for even, @1 for odd domains), visible to the mesh; the first
 *                     `builds` of them are built from it, so those domains' execution roles join the hub's fences
 *   cNNN/feed_cNNN    for the first (lakeInputs − consumers) domains, visible to the mesh
 *   lake/everything   reads every derived_* and feed_* product: lakeInputs inputs
 */
import type { ProductDefinitionInput } from '../../../lib/definition';
import { domain, product, type TempDomain, writeTempProject } from './temp-project';

export interface ScaleMeshOptions {
  /** Consumer domains of hub/golden. @default 100 */
  readonly consumers?: number;
  /** Inputs of lake/everything; at least `consumers`. @default 150 */
  readonly lakeInputs?: number;
  /**
   * Consumer domains whose derived product is built (a run reads hub/golden). @default half the consumers:
   * all 100 would take the hub's bucket policy past 20 KB (quotas.slow.test.ts shows the plan reporting it).
   */
  readonly builds?: number;
  /**
   * Every domain in its own AWS account (stage `prod`, one account per domain, all listed in cdk.json): every
   * read between domains crosses accounts. @default false: one environment-agnostic copy
   */
  readonly accountPerDomain?: boolean;
}

/** The account of the i-th domain of an account-per-domain scale mesh. */
export const scaleAccount = (i: number) => String(100_000_000_000 + i);

export function consumerDomainName(i: number): string {
  return `c${String(i).padStart(3, '0')}`;
}

export function scaleMeshDomains(options: ScaleMeshOptions = {}): TempDomain[] {
  const consumers = options.consumers ?? 100;
  const lakeInputs = options.lakeInputs ?? 150;
  const feeds = Math.max(0, lakeInputs - consumers);
  const builds = options.builds ?? Math.floor(consumers / 2);
  const golden: ProductDefinitionInput = product('golden', {
    version: '2.0.0',
    classification: 'confidential',
    schema: {
      columns: [
        { name: 'customer_id', type: 'string', description: 'Customer key.', required: true, primaryKey: true },
        { name: 'email', type: 'string', description: 'Contact address.', pii: true },
      ],
    },
    previousVersions: [
      {
        version: '1.4.0',
        sunset: '2099-12-31',
        schema: { columns: [{ name: 'customer_id', type: 'string', description: 'Customer key.', required: true }] },
      },
    ],
    access: {
      visibility: 'consumers',
      consumers: Array.from({ length: consumers }, (_, i) => ({
        domain: consumerDomainName(i),
        purpose: 'Joins customers to its own facts',
      })),
    },
  });
  const domains: TempDomain[] = [{ definition: domain('hub'), products: [golden] }];
  const lakeReads: string[] = [];
  for (let i = 0; i < consumers; i++) {
    const name = consumerDomainName(i);
    const input = `hub/golden@${i % 2 === 0 ? 2 : 1}`;
    const built = {
      schema: {
        format: 'iceberg' as const,
        columns: [
          { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
          { name: 'amount', type: 'decimal(12,2)', description: 'An amount.' },
        ],
      },
      build: {
        sql: `SELECT customer_id AS id, CAST(NULL AS decimal(12,2)) AS amount FROM {input:${input}}`,
        schedule: 'rate(1 day)',
        mode: 'full-refresh' as const,
      },
    };
    const products = [
      product(`derived_${name}`, { archetype: 'aggregate', inputs: [input], ...(i < builds ? built : {}) }),
    ];
    lakeReads.push(`${name}/derived_${name}@1`);
    if (i < feeds) {
      products.push(product(`feed_${name}`));
      lakeReads.push(`${name}/feed_${name}@1`);
    }
    domains.push({ definition: domain(name), products });
  }
  domains.push({
    definition: domain('lake'),
    products: [
      product('everything', { archetype: 'consumer-aligned', access: { visibility: 'domain' }, inputs: lakeReads }),
    ],
  });
  return domains;
}

/** Writes the scale mesh as a project folder and returns its root. */
export function writeScaleMesh(options: ScaleMeshOptions & { dir?: string } = {}): string {
  const domains = scaleMeshDomains(options);
  if (!options.accountPerDomain) return writeTempProject(domains, { prefix: 'scale', dir: options.dir });
  const placed = domains.map((d, i) => ({
    ...d,
    definition: { ...d.definition, accounts: { prod: { account: scaleAccount(i), region: 'eu-west-1' } } },
  }));
  return writeTempProject(placed, {
    prefix: 'scale',
    dir: options.dir,
    stages: { prod: { prefix: 'scale', accounts: placed.map((_, i) => scaleAccount(i)) } },
    defaultStage: 'prod',
  });
}
