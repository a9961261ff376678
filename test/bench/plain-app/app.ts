/**
 * The plain CDK baseline of the synth benchmark: the resources the platform creates for a synthetic mesh
 * (test/bench/synthetic-mesh.ts), written with aws-cdk-lib directly — no definition files, no validation, no
 * governance, nothing from lib/, constructs/ or bin/. Run it in a synthetic mesh folder:
 *   npx cdk synth --quiet --app "npx tsx <project>/test/bench/plain-app/app.ts" \
 *     -c plain:domains=50 -c plain:products=20 -c plain:builds=false
 * Context (numbers and booleans may be given as strings, as `-c` passes them):
 *   plain:domains    domains in the mesh (default 50)
 *   plain:products   products per domain (default 20)
 *   plain:builds     products of every domain but the first are built from their first input (default false)
 *   plain:inputs     cross-domain inputs per product (default 2)
 *   plain:inputPool  inputs are drawn from the first N products of the previous domain (default: all)
 *   mesh             `{ prefix }`, read from the mesh folder's cdk.json like the platform does (default bench)
 *   domain           build only this domain's stack, e.g. domain_025 (default: every domain)
 * The same values must be given to writeSyntheticMesh for the two apps to build the same mesh.
 * Feature flags are the project's cdk.json ones (a synthetic mesh's cdk.json holds only its prefix), so the two
 * apps synthesize under the same flags; context given to the CLI overrides them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { syntheticMeshSpec } from '../synthetic-mesh';
import { addPlainStacks } from './mesh-stacks';

/** The `@aws-cdk…` feature flags of the project's cdk.json. */
function projectFeatureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));
  return Object.fromEntries(Object.entries(cdkJson.context ?? {}).filter(([key]) => key.startsWith('@aws-cdk')));
}

const app = new App({ context: projectFeatureFlags() });

function count(key: string, fallback?: number): number | undefined {
  const value = app.node.tryGetContext(key);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`-c ${key}=${value}: expected a whole number`);
  return parsed;
}

function flag(key: string): boolean {
  const value = app.node.tryGetContext(key);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`-c ${key}=${value}: expected true or false`);
}

const spec = syntheticMeshSpec({
  domains: count('plain:domains', 50) as number,
  productsPerDomain: count('plain:products', 20) as number,
  builds: flag('plain:builds'),
  inputsPerProduct: count('plain:inputs'),
  inputPool: count('plain:inputPool'),
  prefix: (app.node.tryGetContext('mesh') as { prefix?: string } | undefined)?.prefix,
});
try {
  addPlainStacks(app, spec, { onlyDomain: app.node.tryGetContext('domain') });
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
app.synth();
