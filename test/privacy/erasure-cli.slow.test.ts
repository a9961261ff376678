import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '../../lib/mesh/load';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { localFolderOf } from '../../lib/privacy/erasure-local';
import { planErasure } from '../../lib/privacy/erasure-plan';
import { withDuckDb } from '../../lib/quality/local-runner';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { quoteString } from '../../lib/quality/sql-text';
import { runMesh } from '../support/run-mesh';
import { PROJECT_ROOT } from '../support/temp-project';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erasure-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npx mesh erase', () => {
  test('--dry-run prints the plan and writes the statements file; exit 0', async () => {
    const out = path.join(dir, 'erase.sql');
    const { code, stdout } = await mesh(['erase', '--subject', 'customer_id=C-000042', '--dry-run', '--out', out]);
    expect(stdout).toContain(
      "Erasure of customer_id = 'C-000042': 6 product versions in 3 domains hold the subject; 9 derived without the key are rebuilt after them.",
    );
    expect(stdout).toMatch(
      /\n3\s+erase\s+sales\/orders v2\s+Sales Data\s+acme_sales\.orders_v2\s+rewrite partitions \(order_date\)\s+parquet products\/orders\/v2\//,
    );
    expect(stdout).toMatch(
      /\n5\s+erase\s+customers\/customer_segments v2\s+Customer Data\s+acme_customers\.customer_segments_v2\s+DELETE \(Iceberg\)/,
    );
    expect(stdout).toMatch(
      /\n14\s+rebuild\s+marketing\/campaign_roi_report v2 .*npx mesh run marketing\/campaign_roi_report --wait/,
    );
    expect(stdout).toContain(`statements written to ${out}`);
    expect(code).toBe(0);
    const script = fs.readFileSync(out, 'utf8');
    expect(script).toContain(`DELETE FROM "acme_customers"."customer_segments_v2" WHERE ("customer_id" = 'C-000042');`);
  });

  test('--json prints the plan with every step and its commands', async () => {
    const { code, stdout } = await mesh(['erase', '--subject', 'customer_id=C-000042', '--dry-run', '--json']);
    const document = JSON.parse(stdout);
    expect(document).toMatchObject({ mode: 'dry-run', subjects: [{ key: 'customer_id', value: 'C-000042' }] });
    expect(document.steps).toHaveLength(15);
    expect(document.steps[0]).toMatchObject({ order: 1, kind: 'erase', ref: 'customers/customer_profiles@1' });
    expect(document.steps[0].commands[0]).toMatchObject({ role: 'partitions', engine: 'athena' });
    expect(code).toBe(0);
  });

  test('bad input exits 2 with what to pass', async () => {
    const [unknown, malformed, noYes] = await Promise.all([
      mesh(['erase', '--subject', 'loyalty_card=L-1', '--dry-run']),
      mesh(['erase', '--subject', 'C-000042', '--dry-run']),
      mesh(['erase', '--subject', 'customer_id=C-000042']),
    ]);
    expect(unknown.stderr).toMatch(
      /^mesh erase: --subject loyalty_card: no product holds subject key "loyalty_card"; subject keys held in this mesh: customer_id \(concept, 4 products\)/,
    );
    expect(malformed.stderr).toContain('mesh erase: --subject "C-000042": expected <key>=<value>');
    expect(noYes.stderr).toContain('mesh erase: nothing was deleted: add --yes to erase on Athena');
    expect([unknown.code, malformed.code, noYes.code]).toEqual([2, 2, 2]);
  });

  test('--local erases in a local copy and reports rows per version; --strict fails on missing versions', async () => {
    const meshModel = loadMesh({ root: PROJECT_ROOT });
    const copy = path.join(dir, 'copy');
    const holders = planErasure(meshModel, [{ key: 'customer_id', value: 'x' }], CONCEPT_REGISTRY).steps.filter(
      (s) => s.kind === 'erase',
    );
    // Only sales and marketing: the customers domain's versions are missing from this copy.
    for (const step of holders.filter((s) => s.domain !== 'customers')) {
      const product = meshModel.domains.flatMap((d) => d.products).find((p) => p.id === step.id)!;
      const version = product.versions.find((v) => v.major === step.major)!;
      await writeQualitySample(product, version, path.join(localFolderOf(copy, step), 'part-0.parquet'), { rows: 100 });
    }
    const value = await withDuckDb(async (c) => {
      const file = path.join(localFolderOf(copy, { domain: 'sales', product: 'orders', major: 2 }), 'part-0.parquet');
      const reader = await c.runAndReadAll(`SELECT customer_id FROM read_parquet(${quoteString(file)}) LIMIT 1`);
      return String(reader.getRowObjectsJS()[0].customer_id);
    });
    const { code, stdout } = await mesh(['erase', '--subject', `customer_id=${value}`, '--local', copy]);
    expect(stdout).toContain(`Erasure of customer_id = '${value}' in ${copy} (DuckDB):`);
    expect(stdout).toMatch(/\n3\s+sales\/orders v2\s+100\s+[1-9]\d*\s+1 of 1 rewritten\s+erased\n/);
    expect(stdout).toMatch(/\n1\s+customers\/customer_profiles v1\s+-\s+-\s+-\s+missing: .* does not exist\n/);
    expect(stdout).toMatch(/rows of the subject erased from \d+ product versions? in \d+ domains? \(6 checked\)/);
    expect(code).toBe(0);
    const strict = await mesh(['erase', '--subject', `customer_id=${value}`, '--local', copy, '--strict']);
    expect(strict.code).toBe(1);
  });
});

/** Runs the CLI as a user would, with no AWS credentials to use. */
function mesh(args: string[]) {
  return runMesh(args, { AWS_PROFILE: 'erasure-test-none', AWS_CONFIG_FILE: '/dev/null' });
}
