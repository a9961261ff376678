/**
 * The plain CDK baseline of the synth benchmark (test/bench/plain-app) must keep building what the platform
 * builds for the same synthetic mesh: every stack, nested ones included, with the same number of resources
 * of each CloudFormation type and a template of about the same size. When the platform's resources change,
 * this fails until the baseline follows, so the benchmark keeps comparing like with like.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { shardOf as platformShardOf, productShardCount } from '../../lib/mesh/stack-layout';
import { shardCount, shardOf } from './plain-app/layout';
import { addPlainStacks } from './plain-app/mesh-stacks';
import { type SyntheticMeshOptions, syntheticMeshSpec, writeSyntheticMesh } from './synthetic-mesh';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** Template sizes may differ this much: the baseline writes its own SQL, state machines and policies. */
const SIZE_TOLERANCE = 0.15;

interface Template {
  readonly Resources: Record<string, { readonly Type: string }>;
}

const folders: string[] = [];
function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plain-app-${name}-`));
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every template of the assembly, nested ones included, by file name. */
function synthesize(build: (app: App) => void): Map<string, { template: Template; bytes: number }> {
  // The project's feature flags, as the CDK CLI gives them to both apps; CDK's own validator is off (measured apart).
  const app = new App({
    outdir: tempDir('out'),
    context: readCdkContext(PROJECT_ROOT),
    builtinCloudFormationValidation: false,
  });
  build(app);
  const dir = app.synth().directory;
  const templates = new Map<string, { template: Template; bytes: number }>();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    templates.set(file, { template: JSON.parse(text) as Template, bytes: Buffer.byteLength(text) });
  }
  return templates;
}

/** Resources per CloudFormation type; CDK's bookkeeping resource does not count. */
function typeCounts(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { Type } of Object.values(template.Resources)) {
    if (Type !== 'AWS::CDK::Metadata') counts[Type] = (counts[Type] ?? 0) + 1;
  }
  return counts;
}

describe.each<SyntheticMeshOptions>([
  { domains: 3, productsPerDomain: 4, builds: false },
  { domains: 3, productsPerDomain: 4, builds: true },
])('mesh of $domains × $productsPerDomain, builds: $builds', (options) => {
  let platform: Map<string, { template: Template; bytes: number }>;
  let plain: Map<string, { template: Template; bytes: number }>;
  beforeAll(() => {
    const root = tempDir('mesh');
    writeSyntheticMesh(root, options);
    const mesh = loadMesh({ root });
    // Governance only annotates: the templates are the same with and without it.
    platform = synthesize((app) => addDomainStacks(app, mesh, { governance: false }));
    plain = synthesize((app) => addPlainStacks(app, syntheticMeshSpec(options)));
  });

  test('the same stacks, with the same resources of each type', () => {
    expect([...plain.keys()]).toEqual([...platform.keys()]);
    for (const [file, { template }] of platform) {
      expect({ file, counts: typeCounts(plain.get(file)?.template ?? { Resources: {} }) }).toEqual({
        file,
        counts: typeCounts(template),
      });
    }
  });

  test(`templates within ±${Math.round(SIZE_TOLERANCE * 100)} % of the platform's`, () => {
    for (const [file, { bytes }] of platform) {
      const ratio = (plain.get(file)?.bytes ?? 0) / bytes;
      expect({ file, withinTolerance: Math.abs(ratio - 1) <= SIZE_TOLERANCE, ratio }).toEqual({
        file,
        withinTolerance: true,
        ratio,
      });
    }
  });
});

test('a domain splits into as many nested stacks as on the platform, with each product in the same one', () => {
  // The benchmark's domain sizes; a product's shard does not depend on how many products follow it.
  const options: SyntheticMeshOptions = { domains: 2, productsPerDomain: 50, builds: true };
  const root = tempDir('layout');
  writeSyntheticMesh(root, options);
  const mesh = loadMesh({ root });
  const spec = syntheticMeshSpec(options);
  for (const size of [4, 20, 25, 50]) {
    for (const [d, domain] of mesh.domains.entries()) {
      const products = spec.domains[d].products.slice(0, size);
      const expected = productShardCount({ ...domain, products: domain.products.slice(0, size) });
      expect({ domain: domain.name, size, shards: shardCount(products) }).toEqual({
        domain: domain.name,
        size,
        shards: expected,
      });
      if (expected > 1) {
        expect(products.map((p) => shardOf(p.name, expected))).toEqual(
          products.map((p) => platformShardOf(p.name, expected)),
        );
      }
    }
  }
});

test('-c domain= builds one domain, and an unknown one is refused', () => {
  const spec = syntheticMeshSpec({ domains: 3, productsPerDomain: 1 });
  const app = () => new App({ context: readCdkContext(PROJECT_ROOT) });
  expect(addPlainStacks(app(), spec, { onlyDomain: 'domain_001' }).map((s) => s.stackName)).toEqual(['Mesh-Domain001']);
  expect(() => addPlainStacks(app(), spec, { onlyDomain: 'nope' })).toThrow(/no such domain.*domain_000/);
});
