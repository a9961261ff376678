/**
 * `npm run access:verify` — synthesizes a mesh, resolves every template for a fixed test account and
 * region, extracts every role's identity policies and every bucket and key policy, and simulates:
 *   1. every role × every product version × read (object, listing, table) and write, and every role × every
 *      domain's key, Athena results and access logs (plus S3 log delivery), against what the definitions
 *      declare; execution roles (found in the templates by name) × the same, plus staging and quality results;
 *   2. the same with every role granting itself `s3:*` and `kms:*` on `*`, against what the fences must
 *      still refuse (what the contracts allow, nothing more);
 * and checks every deployed policy against its AWS quota. Prints the matrix sizes, the mismatches and the
 * largest policies; exits 1 on any mismatch, unevaluated check, cross-stack reference or quota overrun.
 * By default it runs the project's mesh, then a generated mesh at scale (a consumer of 150 inputs, a product
 * of 100 consumer domains); the unit tests run the same on the example mesh and a small generated one.
 *   npm run access:verify                        the project's mesh, then the mesh at scale
 *   npm run access:verify -- --scale             the mesh at scale only
 *   npm run access:verify -- --root <dir>        another project folder only
 */
import { parseArgs } from 'node:util';
import { ACCESS_LIMITS } from '../../lib/access/quotas';
import { buildAccessMatrix, type ConcreteEnv, executionRoleDrift } from '../../lib/access/verify/matrix';
import { selfGrantedChecks, withSelfGrantedAccess } from '../../lib/access/verify/self-granted';
import { crossStackReferences, extractAccessPolicies } from '../../lib/access/verify/templates';
import {
  formatPolicySizes,
  formatVerifyReport,
  isClean,
  measureDeployedPolicies,
  type PolicySizeReport,
  verifyAccess,
} from '../../lib/access/verify/verify';
import { OfflineAccessEvaluator } from './support/offline-evaluator';
import { writeScaleMesh } from './support/scale-mesh';
import { PROJECT_ROOT, synthesizeMesh, TEST_ENV } from './support/synth-mesh';
import { removeTempProject } from './support/temp-project';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Policies over their quota, as lines naming the policy, its size and the limit. */
function quotaOverruns(sizes: PolicySizeReport): string[] {
  const over = (what: string, size: number, limit: number, name: string) =>
    size > limit ? [`${what} ${name}: ${size} > ${limit}`] : [];
  return [
    ...over(
      'managed policy',
      sizes.largestManagedPolicy.chars,
      ACCESS_LIMITS.managedPolicyChars,
      sizes.largestManagedPolicy.name,
    ),
    ...over(
      'managed policies on role',
      sizes.mostManagedPolicies.count,
      ACCESS_LIMITS.managedPoliciesPerRole,
      sizes.mostManagedPolicies.role,
    ),
    ...over(
      'inline policies of role',
      sizes.largestRoleInline.chars,
      ACCESS_LIMITS.roleInlineChars,
      sizes.largestRoleInline.role,
    ),
    ...over(
      'bucket policy',
      sizes.largestBucketPolicy.bytes,
      ACCESS_LIMITS.bucketPolicyBytes,
      sizes.largestBucketPolicy.bucket,
    ),
    ...over('key policy', sizes.largestKeyPolicy.bytes, ACCESS_LIMITS.keyPolicyBytes, sizes.largestKeyPolicy.key),
    ...over(
      'Glue catalog policy',
      sizes.largestCatalogPolicy.bytes,
      sizes.largestCatalogPolicy.limit,
      sizes.largestCatalogPolicy.catalog,
    ),
  ];
}

/** Verifies one project folder; true when everything matches. */
async function verifyProject(label: string, root: string, env: ConcreteEnv): Promise<boolean> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  out(`== ${label}`);
  const synthesized = synthesizeMesh(root, { env });
  out(`synthesized ${synthesized.templates.length} templates (${elapsed()})`);
  if (synthesized.errors.length > 0) {
    for (const error of synthesized.errors) process.stderr.write(`error: ${error}\n`);
    return false;
  }
  const references = crossStackReferences(synthesized.templates);
  for (const problem of references) process.stderr.write(`cross-stack reference: ${problem}\n`);
  if (references.length === 0) out('no template imports a value or references another stack');

  const policies = extractAccessPolicies(synthesized.templates);
  const sizes = measureDeployedPolicies(policies);
  out(formatPolicySizes(sizes));
  const overruns = quotaOverruns(sizes);
  for (const overrun of overruns) process.stderr.write(`over quota: ${overrun}\n`);

  // Execution roles are taken from the templates by name; a run product without one is a failure.
  const deployedRoles = new Set([...policies.roles.values()].map((r) => r.name));
  const drift = executionRoleDrift(synthesized.mesh, deployedRoles);
  for (const product of drift.missing) process.stderr.write(`run product without its execution role: ${product}\n`);
  for (const role of drift.unexpected) process.stderr.write(`execution role of no run product: ${role}\n`);
  const checks = buildAccessMatrix(synthesized.mesh, { env, deployedRoles });
  const granted = await verifyAccess(checks, new OfflineAccessEvaluator(policies));
  out(`-- grants: what the definitions declare\n${formatVerifyReport(granted)}`);
  const attack = await verifyAccess(
    selfGrantedChecks(synthesized.mesh, checks),
    new OfflineAccessEvaluator(withSelfGrantedAccess(policies)),
  );
  out(`-- fences: every role grants itself s3:* and kms:* on *\n${formatVerifyReport(attack)}`);
  out(`${granted.checks + attack.checks} checks simulated in ${elapsed()}`);
  const driftless = drift.missing.length + drift.unexpected.length === 0;
  return isClean(granted) && isClean(attack) && references.length === 0 && overruns.length === 0 && driftless;
}

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
  const runs: { label: string; root: () => string; temporary: boolean }[] = values.root
    ? [{ label: values.root, root: () => values.root as string, temporary: false }]
    : [
        ...(values.scale ? [] : [{ label: 'project mesh', root: () => PROJECT_ROOT, temporary: false }]),
        {
          label:
            'generated mesh at scale: a consumer of 150 inputs, a product of 100 consumer domains (50 building from it)',
          root: () => writeScaleMesh(),
          temporary: true,
        },
        {
          label: 'the same mesh with every domain in its own account: 102 accounts, every read across accounts',
          root: () => writeScaleMesh({ accountPerDomain: true }),
          temporary: true,
        },
      ];
  let clean = true;
  for (const run of runs) {
    const root = run.root();
    try {
      clean = (await verifyProject(run.label, root, env)) && clean;
    } finally {
      if (run.temporary) removeTempProject(root);
    }
  }
  out(clean ? 'access verified: 0 mismatches' : 'access verification FAILED (see above)');
  return clean ? 0 : 1;
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
