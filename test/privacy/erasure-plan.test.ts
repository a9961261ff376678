import type { ProductDefinitionInput } from '../../lib/definition/schema';
import { loadMesh } from '../../lib/mesh/load';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { type EraseStep, type ErasurePlan, planErasure, type RebuildStep } from '../../lib/privacy/erasure-plan';
import { erasureStatements, renderErasureScript } from '../../lib/privacy/erasure-statements';
import {
  ErasureInputError,
  parseSubject,
  subjectCondition,
  subjectValueWarnings,
} from '../../lib/privacy/erasure-subject';
import { PROJECT_ROOT } from '../support/temp-project';
import { inlineMesh } from './erasure-support';

type ColumnInput = ProductDefinitionInput['schema']['columns'][number];

const mesh = loadMesh({ root: PROJECT_ROOT });
const subject = [{ key: 'customer_id', value: 'C-000042' }];
const plan = planErasure(mesh, subject, CONCEPT_REGISTRY);
const erase = plan.steps.filter((s): s is EraseStep => s.kind === 'erase');
const rebuild = plan.steps.filter((s): s is RebuildStep => s.kind === 'rebuild');
const stepOf = (p: ErasurePlan, ref: string) => {
  const step = p.steps.find((s) => s.ref === ref);
  if (!step) throw new Error(`no step for ${ref}: ${p.steps.map((s) => s.ref).join(', ')}`);
  return step;
};

describe('the erasure plan of the example mesh', () => {
  test('erases every version in every domain that carries customer_id, by its key', () => {
    expect(erase.map((s) => s.ref).sort()).toEqual([
      'customers/customer_profiles@1',
      'customers/customer_segments@1',
      'customers/customer_segments@2',
      'marketing/ad_clicks@1',
      'sales/orders@1',
      'sales/orders@2',
    ]);
    expect(new Set(erase.map((s) => s.domain))).toEqual(new Set(['customers', 'marketing', 'sales']));
    for (const step of erase) expect(step.keyColumns.map((c) => c.name)).toEqual(['customer_id']);
  });

  test('lists every version derived from a holder without the key to be rebuilt, none skipped', () => {
    expect(rebuild.map((s) => s.ref).sort()).toEqual([
      'fulfillment/delivery_performance@1',
      'fulfillment/delivery_performance@2',
      'fulfillment/shipments@1',
      'marketing/campaign_performance@1',
      'marketing/campaign_performance@2',
      'marketing/campaign_roi_report@1',
      'marketing/campaign_roi_report@2',
      'sales/revenue_metrics@1',
      'sales/revenue_metrics@2',
    ]);
    // Products with no lineage to a holder are not in the plan.
    for (const ref of ['marketing/ad_spend@1', 'fulfillment/inventory_history@1']) {
      expect(plan.steps.map((s) => s.ref)).not.toContain(ref);
    }
  });

  test('says how each is rebuilt: by its build where the platform runs one, else by its owner', () => {
    expect((stepOf(plan, 'sales/revenue_metrics@2') as RebuildStep).rebuild).toMatchObject({
      how: 'partition-overwrite',
      command: 'npx mesh run sales/revenue_metrics --date <yyyy-mm-dd> --wait',
    });
    expect((stepOf(plan, 'marketing/campaign_roi_report@2') as RebuildStep).rebuild).toMatchObject({
      how: 'full-refresh',
      command: 'npx mesh run marketing/campaign_roi_report --wait',
    });
    // An earlier major is not written by the build; shipments has no build at all.
    expect((stepOf(plan, 'sales/revenue_metrics@1') as RebuildStep).rebuild.how).toBe('owner');
    expect((stepOf(plan, 'fulfillment/shipments@1') as RebuildStep).rebuild).toMatchObject({ how: 'owner' });
  });

  test('orders producers before consumers, and every rebuild after every erasure', () => {
    const position = new Map(plan.steps.map((s) => [s.ref, s.order]));
    for (const step of plan.steps) {
      for (const upstream of step.derivedFrom) expect(position.get(upstream)!).toBeLessThan(step.order);
    }
    expect(position.get('sales/orders@2')!).toBeLessThan(position.get('customers/customer_segments@2')!);
    expect(Math.max(...erase.map((s) => s.order))).toBeLessThan(Math.min(...rebuild.map((s) => s.order)));
    expect(position.get('marketing/campaign_performance@2')!).toBeLessThan(
      position.get('marketing/campaign_roi_report@2')!,
    );
    expect(plan.steps.map((s) => s.order)).toEqual(plan.steps.map((_, i) => i + 1));
  });

  test('names domain, product, major, owner, table, workgroup and S3 prefix of every step', () => {
    expect(stepOf(plan, 'sales/orders@2')).toMatchObject({
      domain: 'sales',
      product: 'orders',
      major: 2,
      owner: { team: 'Sales Data', email: 'sales-data@example.com' },
      database: 'acme_sales',
      table: 'orders_v2',
      workgroup: 'acme-sales',
      bucket: 'acme-sales-data-{account}-{region}',
      prefix: 'products/orders/v2/',
      format: 'parquet',
      partitionColumns: ['order_date'],
    });
    expect(stepOf(plan, 'customers/customer_segments@2')).toMatchObject({
      format: 'iceberg',
      derivedFrom: ['sales/orders@2'],
    });
  });

  test('tells that sources loaded from outside the mesh must erase too', () => {
    expect(plan.notes.join('\n')).toMatch(
      /customers\/customer_profiles@1, marketing\/ad_clicks@1, sales\/orders@2 are not built by the platform but loaded from outside the mesh: erase the subject in the source system too/,
    );
  });
});

describe('the statements', () => {
  const statements = erasureStatements(plan);
  const commandsOf = (ref: string) => statements.find((s) => s.step.ref === ref)!.commands;

  test('an Iceberg table: count, DELETE, count again, OPTIMIZE and VACUUM', () => {
    expect(commandsOf('customers/customer_segments@2').map((c) => [c.role, c.engine, c.text])).toEqual([
      [
        'count',
        'athena',
        `SELECT count(*) AS subject_rows FROM "acme_customers"."customer_segments_v2" WHERE ("customer_id" = 'C-000042')`,
      ],
      ['delete', 'athena', `DELETE FROM "acme_customers"."customer_segments_v2" WHERE ("customer_id" = 'C-000042')`],
      [
        'verify',
        'athena',
        `SELECT count(*) AS subject_rows FROM "acme_customers"."customer_segments_v2" WHERE ("customer_id" = 'C-000042')`,
      ],
      ['optimize', 'athena', 'OPTIMIZE acme_customers.customer_segments_v2 REWRITE DATA USING BIN_PACK'],
      ['vacuum', 'athena', 'VACUUM acme_customers.customer_segments_v2'],
      ['noncurrent-versions', 'shell', expect.stringContaining('--prefix products/customer_segments/v2/')],
    ]);
  });

  test('a partitioned Parquet table: only the partitions holding the subject are staged, counted and swapped', () => {
    const byRole = new Map(commandsOf('sales/orders@2').map((c) => [`${c.role}/${c.engine}`, c.text]));
    const rows = `coalesce(("customer_id" = 'C-000042'), false)`;
    const affected = `(SELECT *, max(CASE WHEN ${rows} THEN 1 ELSE 0 END) OVER (PARTITION BY "order_date") AS holds_subject FROM "acme_sales"."orders_v2") AS t`;
    const staging = `s3://acme-sales-data-{account}-{region}/erasure/${plan.requestId}/products/orders/v2/`;
    expect(byRole.get('partitions/athena')).toBe(
      `SELECT "order_date", 'order_date=' || CAST("order_date" AS varchar) || '/' AS path, count(*) AS subject_rows FROM "acme_sales"."orders_v2" WHERE ${rows} GROUP BY "order_date" ORDER BY "order_date"`,
    );
    expect(byRole.get('count-before/athena')).toBe(
      `SELECT count(*) AS rows_before, count(*) FILTER (WHERE ${rows}) AS subject_rows FROM ${affected} WHERE holds_subject = 1`,
    );
    expect(byRole.get('stage/athena')).toBe(
      `CREATE TABLE "acme_sales"."orders_v2__erasure_${plan.requestId}" WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = '${staging}', partitioned_by = ARRAY['order_date']) AS SELECT "order_id", "customer_id", "channel", "ordered_at", "lines", "net_amount", "tax_amount", "order_date" FROM ${affected} WHERE holds_subject = 1 AND NOT ${rows}`,
    );
    expect(byRole.get('count-kept/athena')).toBe(
      `SELECT count(*) AS rows_kept, count(*) FILTER (WHERE ${rows}) AS subject_rows FROM "acme_sales"."orders_v2__erasure_${plan.requestId}"`,
    );
    expect(byRole.get('swap/shell')).toBe(
      `aws s3 sync ${staging}<path> s3://acme-sales-data-{account}-{region}/products/orders/v2/<path> --delete`,
    );
    expect(byRole.get('drop-staging/athena')).toBe(
      `DROP TABLE IF EXISTS \`acme_sales\`.\`orders_v2__erasure_${plan.requestId}\``,
    );
    expect(byRole.get('noncurrent-versions/shell')).toContain(
      "aws s3api list-object-versions --bucket acme-sales-data-{account}-{region} --prefix products/orders/v2/<path> --query 'Versions[?IsLatest==`false`].[Key,VersionId]'",
    );
    // The staging names carry a hash of the request, never the subject's key.
    expect(plan.requestId).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(commandsOf('sales/orders@2').filter((c) => c.engine === 'shell'))).not.toContain('C-000042');
  });

  test("an unpartitioned table is rewritten whole, with the bucket's account and region filled in when known", () => {
    const known = erasureStatements(plan, { environmentOf: () => ({ account: '111122223333', region: 'eu-west-1' }) });
    const commands = known.find((s) => s.step.ref === 'customers/customer_profiles@1')!.commands;
    expect(commands.find((c) => c.role === 'stage')!.text).toContain(
      `FROM "acme_customers"."customer_profiles_v1" AS t WHERE NOT coalesce(("customer_id" = 'C-000042'), false)`,
    );
    expect(commands.find((c) => c.role === 'swap')!.text).toBe(
      `aws s3 sync s3://acme-customers-data-111122223333-eu-west-1/erasure/${plan.requestId}/products/customer_profiles/v1/ s3://acme-customers-data-111122223333-eu-west-1/products/customer_profiles/v1/ --delete`,
    );
  });

  test('the statements file runs the steps in order, with a comment per step and shell commands commented out', () => {
    const script = renderErasureScript(plan, statements);
    const headers = [...script.matchAll(/^-- Step (\d+) of (\d+): (erase|rebuild) (\S+) v(\d+)/gm)];
    expect(headers.map((m) => `${m[4]}@${m[5]}`)).toEqual(plan.steps.map((s) => s.ref));
    expect(script).toContain(
      '-- Step 3 of 15: erase sales/orders v2 (2.0.0), owner Sales Data <sales-data@example.com>',
    );
    expect(script).toContain(
      '-- table acme_sales.orders_v2 (parquet, partitioned by order_date), workgroup acme-sales',
    );
    expect(script).toContain('-- $ aws s3 sync');
    // Every non-comment line is one Athena statement ending in ";".
    for (const line of script.split('\n').filter((l) => l !== '' && !l.startsWith('--'))) {
      expect(line).toMatch(/^(SELECT|DELETE|OPTIMIZE|VACUUM|DROP TABLE|CREATE TABLE) .*;$/);
    }
  });

  test('a value with quotes stays one string literal', () => {
    const hostile = planErasure(mesh, [{ key: 'customer_id', value: "C-1' OR '1'='1" }], CONCEPT_REGISTRY);
    const commands = erasureStatements(hostile).find((s) => s.step.ref === 'customers/customer_segments@2')!.commands;
    expect(commands.find((c) => c.role === 'delete')!.text).toBe(
      `DELETE FROM "acme_customers"."customer_segments_v2" WHERE ("customer_id" = 'C-1'' OR ''1''=''1')`,
    );
    expect(subjectValueWarnings(hostile.subjects, CONCEPT_REGISTRY)).toEqual([
      'the value of customer_id does not match the pattern of concept customer_id (^C-[0-9]{6}$): check it, products are unlikely to hold it',
    ]);
  });
});

describe('bad requests', () => {
  test('a malformed --subject says what to pass', () => {
    expect(() => parseSubject('C-000042')).toThrow(
      new ErasureInputError(
        '--subject "C-000042": expected <key>=<value>, e.g. --subject customer_id=C-000042 (the key is a subject concept or a declared subject key)',
      ),
    );
    expect(() => parseSubject('customer_id=')).toThrow('--subject "customer_id=": the value after "=" is empty');
    expect(() => parseSubject('Customer ID=1')).toThrow(
      'the key "Customer ID" must be a snake_case column or concept name',
    );
    expect(parseSubject('customer_id=a=b')).toEqual({ key: 'customer_id', value: 'a=b' });
  });

  test('a subject key no product holds is refused with the keys that exist', () => {
    expect(() => planErasure(mesh, [{ key: 'loyalty_card', value: 'L-1' }], CONCEPT_REGISTRY)).toThrow(
      /^--subject loyalty_card: no product holds subject key "loyalty_card"; subject keys held in this mesh: customer_id \(concept, 4 products\)/,
    );
  });

  test('a concept that identifies no person is not a subject key', () => {
    expect(() => planErasure(mesh, [{ key: 'order_id', value: 'SO-00000001' }], CONCEPT_REGISTRY)).toThrow(
      '--subject order_id: concept "order_id" does not identify a person (no subject: true in lib/policies/concepts.ts)',
    );
  });

  test('no subject, or one key twice', () => {
    expect(() => planErasure(mesh, [], CONCEPT_REGISTRY)).toThrow(ErasureInputError);
    expect(() =>
      planErasure(
        mesh,
        [
          { key: 'customer_id', value: 'C-000001' },
          { key: 'customer_id', value: 'C-000002' },
        ],
        CONCEPT_REGISTRY,
      ),
    ).toThrow('--subject customer_id is given twice; name each key once');
  });
});

describe('declared subject keys and inherited key columns', () => {
  const columns = (extra: ColumnInput[]): ColumnInput[] => [
    { name: 'member_no', type: 'bigint', required: true },
    ...extra,
  ];
  const crm = inlineMesh('crm', [
    {
      name: 'members',
      version: '1.0.0',
      schema: { format: 'parquet', columns: columns([{ name: 'email', type: 'string', pii: true }]) },
      privacy: { subjectKeys: ['member_no'] },
    },
    {
      name: 'visits',
      version: '1.0.0',
      schema: { format: 'parquet', columns: columns([{ name: 'visited_on', type: 'date' }]) },
      inputs: ['crm/members@1'],
    },
    {
      name: 'visit_counts',
      version: '1.0.0',
      schema: { format: 'parquet', columns: [{ name: 'visits', type: 'bigint' }] },
      inputs: ['crm/visits@1'],
    },
  ]);
  const crmPlan = planErasure(crm, [{ key: 'member_no', value: '42' }], CONCEPT_REGISTRY);

  test('a declared key is erased where declared and where a descendant carries a column of its name', () => {
    expect(crmPlan.steps.map((s) => [s.ref, s.kind])).toEqual([
      ['crm/members@1', 'erase'],
      ['crm/visits@1', 'erase'],
      ['crm/visit_counts@1', 'rebuild'],
    ]);
    expect((crmPlan.steps[1] as EraseStep).keyColumns).toEqual([
      { name: 'member_no', key: 'member_no', match: 'inherited', type: 'bigint' },
    ]);
    expect(crmPlan.notes).toContain(
      'crm/visits@1: column member_no is erased by name, as the version derives from crm/members@1; declare it in privacy.subjectKeys',
    );
  });

  test('a number key is compared as a number, and a value that is not one is refused', () => {
    expect(subjectCondition((crmPlan.steps[0] as EraseStep).keyColumns, crmPlan.subjects)).toBe('("member_no" = 42)');
    expect(() =>
      erasureStatements(planErasure(crm, [{ key: 'member_no', value: '42 OR 1=1' }], CONCEPT_REGISTRY)),
    ).toThrow('member_no=42 OR 1=1: column member_no is bigint, the value must be a number');
  });
});
