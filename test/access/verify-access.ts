/**
 * `npm run access:verify` — synthesizes the mesh, resolves every template for a fixed test account and
 * region, extracts every role's identity policies and every bucket and key policy, and simulates every
 * role × every product version × read (object, listing, table), write, and every role × domain key, then
 * compares with what the definitions declare. Prints the matrix size, the mismatches and the largest
 * policies against their quotas; exits 1 on any mismatch.
 *   npm run access:verify                        the project's mesh
 *   npm run access:verify -- --scale             a generated mesh: 150 inputs, 100 consumer domains
 *   npm run access:verify -- --root <dir>        another project folder
 */
import { parseArgs } from 'node:util';
import { buildAccessMatrix } from '../../lib/access/verify/matrix';
import { crossStackReferences, extractAccessPolicies } from '../../lib/access/verify/templates';
import {
  formatPolicySizes,
  formatVerifyReport,
  isClean,
  measureDeployedPolicies,
  verifyAccess,
} from '../../lib/access/verify/verify';
import { OfflineAccessEvaluator } from './support/offline-evaluator';
import { writeScaleMesh } from './support/scale-mesh';
import { PROJECT_ROOT, synthesizeMesh, TEST_ENV } from './support/synth-mesh';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      scale: { type: 'boolean', default: false },
      account: { type: 'string', default: TEST_ENV.account },
      region: { type: 'string', default: TEST_ENV.region },
    },
  });
  const env = { account: values.account as string, region: values.region as string };
  const root = values.scale ? writeScaleMesh() : (values.root ?? PROJECT_ROOT);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  const synthesized = synthesizeMesh(root, { env });
  process.stdout.write(`synthesized ${synthesized.templates.length} templates from ${root} (${elapsed()})\n`);
  if (synthesized.errors.length > 0) {
    for (const error of synthesized.errors) process.stderr.write(`error: ${error}\n`);
    return 1;
  }
  const references = crossStackReferences(synthesized.templates);
  for (const problem of references) process.stderr.write(`cross-stack reference: ${problem}\n`);
  if (references.length === 0) process.stdout.write('no template imports a value or references another stack\n');

  const policies = extractAccessPolicies(synthesized.templates);
  process.stdout.write(`${formatPolicySizes(measureDeployedPolicies(policies))}\n`);
  const checks = buildAccessMatrix(synthesized.mesh, { env });
  const report = await verifyAccess(checks, new OfflineAccessEvaluator(policies));
  process.stdout.write(`${formatVerifyReport(report)}\nsimulated in ${elapsed()}\n`);
  return isClean(report) && references.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
