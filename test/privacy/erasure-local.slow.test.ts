import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataDomain } from '../../constructs/data-domain';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import type { MeshProduct, ProductVersion } from '../../lib/mesh/model';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { localFolderOf, runLocalErasure } from '../../lib/privacy/erasure-local';
import { type EraseStep, planErasure } from '../../lib/privacy/erasure-plan';
import { NONCURRENT_VERSION_DAYS } from '../../lib/privacy/erasure-statements';
import { withDuckDb } from '../../lib/quality/local-runner';
import { writeQualitySample } from '../../lib/quality/sample-data';
import { quoteString } from '../../lib/quality/sql-text';
import { PROJECT_ROOT } from '../support/temp-project';
import { inlineMesh } from './erasure-support';

const mesh = loadMesh({ root: PROJECT_ROOT });
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'erasure-local-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const versions = mesh.domains.flatMap((d) =>
  d.products.flatMap((product) => product.versions.map((version) => ({ product, version }))),
);
const folderOf = (dir: string, product: MeshProduct, version: ProductVersion) =>
  localFolderOf(dir, { domain: product.domain, product: product.name, major: version.major });

/** Every row of every file under a folder, as sorted JSON lines: the content a reader sees. */
async function rowsOf(folder: string, keyColumn?: string): Promise<{ all: string[]; keys: (string | null)[] }> {
  return withDuckDb(async (connection) => {
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.parquet'));
    if (files.length === 0) return { all: [], keys: [] };
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet([${files.map((f) => quoteString(path.join(folder, f))).join(', ')}])`,
    );
    const rows = reader.getRowObjectsJson();
    return {
      all: rows.map((r) => JSON.stringify(r)).sort(),
      keys: keyColumn ? rows.map((r) => (r[keyColumn] ?? null) as string | null) : [],
    };
  });
}

function hashOf(folder: string): string {
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(folder).sort()) hash.update(file).update(fs.readFileSync(path.join(folder, file)));
  return hash.digest('hex');
}

/** Samples of every product version of the example mesh, in the local layout. */
async function writeCopy(dir: string): Promise<void> {
  for (const { product, version } of versions) {
    await writeQualitySample(product, version, path.join(folderOf(dir, product, version), 'part-0.parquet'), {
      rows: 200,
    });
  }
}

describe('mesh erase --local on samples of the example mesh', () => {
  const copy = path.join(root, 'copy');
  const holders = planErasure(mesh, [{ key: 'customer_id', value: 'any' }], CONCEPT_REGISTRY).steps.filter(
    (s): s is EraseStep => s.kind === 'erase',
  );
  const holderRefs = new Set(holders.map((s) => s.ref));
  let subject = '';
  const before = new Map<string, { all: string[]; keys: (string | null)[] }>();
  const untouched = new Map<string, string>();

  beforeAll(async () => {
    await writeCopy(copy);
    // The subject: the customer_id value held in the most domains, so the erasure spans domains for real.
    const domainsOf = new Map<string, Set<string>>();
    for (const step of holders) {
      const rows = await rowsOf(localFolderOf(copy, step), 'customer_id');
      before.set(step.ref, rows);
      for (const key of rows.keys) {
        if (key !== null) domainsOf.set(key, new Set([...(domainsOf.get(key) ?? []), step.domain]));
      }
    }
    subject = [...domainsOf].sort(([a, x], [b, y]) => y.size - x.size || (a < b ? -1 : 1))[0][0];
    for (const { product, version } of versions) {
      const ref = `${product.id}@${version.major}`;
      if (!holderRefs.has(ref)) untouched.set(ref, hashOf(folderOf(copy, product, version)));
    }
  }, 60_000);

  test('the subject is in at least two domains before the erasure, so the test cannot pass vacuously', () => {
    const domains = new Set(holders.filter((s) => before.get(s.ref)!.keys.includes(subject)).map((s) => s.domain));
    expect(domains.size).toBeGreaterThanOrEqual(2);
  });

  test('erases the subject from every holder, keeps every other row identical and touches nothing else', async () => {
    const plan = planErasure(mesh, [{ key: 'customer_id', value: subject }], CONCEPT_REGISTRY);
    const run = await runLocalErasure(mesh, plan, copy);

    expect(run.results.map((r) => [r.step.ref, r.status])).toEqual(holders.map((s) => [s.ref, 'erased']));
    const erasedIn = new Set<string>();
    for (const result of run.results) {
      const { ref } = result.step;
      const old = before.get(ref)!;
      const now = await rowsOf(result.folder, 'customer_id');
      const theirs = old.keys.filter((k) => k === subject).length;
      expect(now.keys).not.toContain(subject);
      // Every row that was not the subject's is there, unchanged; nothing else is.
      const kept = old.all.filter((row) => JSON.parse(row).customer_id !== subject);
      expect(now.all).toEqual(kept);
      expect(result.rowsErased).toBe(theirs);
      expect(result.rowsBefore).toBe(old.all.length);
      if (theirs > 0) erasedIn.add(result.step.domain);
    }
    expect(erasedIn.size).toBeGreaterThanOrEqual(2);

    // Products without the key (derived ones to rebuild, unrelated ones) are byte for byte as they were.
    for (const [ref, hash] of untouched) {
      const [id, major] = ref.split('@');
      const [domain, product] = id.split('/');
      expect([ref, hashOf(localFolderOf(copy, { domain, product, major: Number(major) }))]).toEqual([ref, hash]);
    }
  });

  test('a value built to widen the condition erases nothing', async () => {
    const dir = path.join(root, 'hostile');
    fs.cpSync(copy, dir, { recursive: true });
    const hashes = holders.map((s) => hashOf(localFolderOf(dir, s)));
    const plan = planErasure(mesh, [{ key: 'customer_id', value: "C-1' OR '1'='1" }], CONCEPT_REGISTRY);
    const run = await runLocalErasure(mesh, plan, dir);
    expect(run.results.every((r) => r.status === 'erased' && r.rowsErased === 0)).toBe(true);
    expect(run.results.every((r) => r.files.every((f) => f.action === 'untouched'))).toBe(true);
    expect(holders.map((s) => hashOf(localFolderOf(dir, s)))).toEqual(hashes);
  });

  test('versions missing from the local copy are reported, not erased', async () => {
    const dir = path.join(root, 'partial');
    const only = holders[0];
    fs.cpSync(localFolderOf(copy, only), localFolderOf(dir, only), { recursive: true });
    const plan = planErasure(mesh, [{ key: 'customer_id', value: subject }], CONCEPT_REGISTRY);
    const run = await runLocalErasure(mesh, plan, dir);
    expect(run.results[0]).toMatchObject({ status: 'erased' });
    expect(run.results.slice(1).map((r) => r.status)).toEqual(holders.slice(1).map(() => 'missing'));
    expect(run.results[1].message).toBe(`${localFolderOf(dir, holders[1])} does not exist`);
  });
});

describe('mesh erase --local on CSV and JSON files', () => {
  const people = (format: 'csv' | 'json') =>
    inlineMesh('crm', [
      {
        name: 'members',
        version: '1.0.0',
        schema: {
          format,
          columns: [
            { name: 'member_no', type: 'string', required: true },
            { name: 'joined_on', type: 'date' },
            { name: 'points', type: 'decimal(10,2)' },
          ],
        },
        privacy: { subjectKeys: ['member_no'] },
      },
    ]);

  test.each(['csv', 'json'] as const)(
    'rewrites a %s file in its format, without the subject, every other row kept',
    async (format) => {
      const crm = people(format);
      const product = crm.domains[0].products[0];
      const dir = path.join(root, format);
      const folder = folderOf(dir, product, product.versions[0]);
      const file = path.join(folder, 'nested', `part-0.${format}`);
      await writeQualitySample(product, product.versions[0], file, { rows: 50 });
      const read = async () =>
        withDuckDb(async (c) => {
          const relation =
            format === 'csv'
              ? `read_csv_auto(${quoteString(file)}, header = true)`
              : `read_json_auto(${quoteString(file)})`;
          return (await c.runAndReadAll(`SELECT * FROM ${relation}`)).getRowObjectsJson().map((r) => JSON.stringify(r));
        });
      const old = await read();
      const value = JSON.parse(old[0]).member_no as string;
      const plan = planErasure(crm, [{ key: 'member_no', value }], CONCEPT_REGISTRY);
      const run = await runLocalErasure(crm, plan, dir);
      expect(run.results[0]).toMatchObject({ status: 'erased', rowsBefore: 50 });
      expect(run.results[0].files).toEqual([
        {
          file: path.join('nested', `part-0.${format}`),
          rowsBefore: 50,
          rowsErased: expect.any(Number),
          action: 'rewritten',
        },
      ]);
      const now = await read();
      expect(now.sort()).toEqual(old.filter((r) => JSON.parse(r).member_no !== value).sort());
      // No staged file is left beside the data.
      expect(fs.readdirSync(path.dirname(file))).toEqual([`part-0.${format}`]);
    },
  );

  test('a file every row of which is the subject is removed; a file without the key column fails the version', async () => {
    const crm = people('csv');
    const product = crm.domains[0].products[0];
    const dir = path.join(root, 'edge');
    const folder = folderOf(dir, product, product.versions[0]);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'a.csv'),
      'member_no,joined_on,points\nM-1,2024-01-01,1.00\nM-1,2024-01-02,2.00\n',
    );
    fs.writeFileSync(path.join(folder, 'b.csv'), 'member_no,joined_on,points\nM-2,2024-01-01,1.00\n');
    const plan = planErasure(crm, [{ key: 'member_no', value: 'M-1' }], CONCEPT_REGISTRY);
    const run = await runLocalErasure(crm, plan, dir);
    expect(run.results[0]).toMatchObject({ status: 'erased', rowsErased: 2 });
    expect(run.results[0].files.map((f) => [f.file, f.action])).toEqual([
      ['a.csv', 'removed'],
      ['b.csv', 'untouched'],
    ]);
    expect(fs.readdirSync(folder)).toEqual(['b.csv']);

    fs.writeFileSync(path.join(folder, 'c.csv'), 'joined_on,points\n2024-01-01,1.00\n');
    const broken = await runLocalErasure(crm, plan, dir);
    expect(broken.results[0].status).toBe('failed');
    expect(broken.results[0].message).toContain(
      'c.csv has no column member_no: the key column of crm/members v1 must be in every file',
    );
  });
});

test(`the data buckets keep noncurrent versions for ${NONCURRENT_VERSION_DAYS} days, as the statements say`, () => {
  const stack = new Stack(new App({ context: readCdkContext(PROJECT_ROOT) }), 'Erasure');
  new DataDomain(stack, 'Domain', { mesh, domain: mesh.domains.find((d) => d.name === 'sales')! });
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  const data = Object.values(buckets).find((b) =>
    JSON.stringify(b.Properties.BucketName).includes('acme-sales-data-'),
  ) as {
    Properties: { VersioningConfiguration: unknown; LifecycleConfiguration: { Rules: unknown[] } };
  };
  expect(data.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  expect(data.Properties.LifecycleConfiguration.Rules).toContainEqual(
    expect.objectContaining({
      Id: 'ExpireNoncurrentVersions',
      NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
    }),
  );
});
