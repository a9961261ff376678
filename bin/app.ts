/**
 * The CDK app: one stack per domain, built from the definitions under domains/.
 *   npx cdk synth                    every domain
 *   npx cdk synth -c domain=sales    only Mesh-Sales (fast path for large meshes)
 *   npx cdk synth -c stage=dev       one stage of a mesh with stages (cdk.json:context.mesh.stages)
 *   npx cdk synth -c cdk-nag=true    also run cdk-nag's AwsSolutions pack (slower; CI runs it in tests)
 *   npx cdk deploy -c platform-guard=true MeshPlatform-Guard   the deploy-time Guard Hook (once per account/region)
 * Governance runs on every synth: an error finding fails `cdk synth` of its stack (lib/policies).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addPlatformGuardStack } from '../constructs/guard-hook-stack';
import { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } from '../constructs/mesh-app';
import { validateBuilds } from '../lib/build/validate-builds';
import { blockedWithBuilds } from '../lib/build/with-builds';
import { readMeshConfig, STAGE_ENV } from '../lib/mesh/config';
import { discoverMeshFiles, tryLoadMesh } from '../lib/mesh/load';
import { formatProblem } from '../lib/mesh/problems';
import { writePolicyReports } from '../lib/policies';
import { CDK_NAG_CONTEXT, enableCdkNag } from '../lib/policies/cdk-nag';

async function main(): Promise<void> {
  // The CDK CLI runs the app in the project folder (where cdk.json is).
  const root = process.cwd();

  // The CLI reads cdk.out/validation-report.json after every synth, but CDK only writes it when a validation
  // plugin ran: a report left by an earlier synth would be read as this one's.
  if (process.env.CDK_OUTDIR) fs.rmSync(path.join(process.env.CDK_OUTDIR, 'validation-report.json'), { force: true });

  const app = new App({
    treeMetadata: MESH_TREE_METADATA,
    postCliContext: {
      ...meshSynthContext(),
      // Findings reach the CLI through each stack's metadata, so an error blocks only the stacks it is in. In the
      // app-wide validation report (this flag) an error of one domain fails every selected stack that has any
      // finding, even a warning: one domain's error would block another domain's synth and deploy.
      '@aws-cdk/core:annotationsInValidationReport': false,
    },
  });
  const onlyDomain = app.node.tryGetContext('domain') as string | undefined;
  // -c stage=dev: one stage of a mesh with stages (its prefix, each domain's account for it).
  let config: ReturnType<typeof readMeshConfig>;
  try {
    config = readMeshConfig(root, (app.node.tryGetContext('stage') as string | undefined) ?? process.env[STAGE_ENV]);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  if (onlyDomain !== undefined) {
    const folders = [...discoverMeshFiles(root, config.domainsDir).keys()];
    if (!folders.includes(onlyDomain)) {
      process.stderr.write(`-c domain=${onlyDomain}: no such domain (domains: ${folders.join(', ')})\n`);
      process.exit(1);
    }
  }
  // With -c domain=x only x's files and what its inputs read are loaded.
  const result = tryLoadMesh({ root, config, domains: onlyDomain === undefined ? undefined : [onlyDomain] });
  const everywhere = result.blocked.get('*');
  if (everywhere) {
    for (const problem of everywhere) process.stderr.write(`${formatProblem(problem)}\n`);
    process.exit(1);
  }
  // Build SQL is checked with DuckDB (cached by content); a failing build blocks only its own domain's stack.
  const builds = await validateBuilds(result.partial, {
    root,
    ...(onlyDomain !== undefined ? { domains: [onlyDomain] } : {}),
  });
  for (const warning of builds.warnings) process.stderr.write(`warning ${formatProblem(warning)}\n`);
  const blocked = blockedWithBuilds(result.blocked, builds.problems, result.partial.config.domainsDir);
  let stacks: ReturnType<typeof addDomainStacks>;
  try {
    // A domain with definition problems gets a stack that fails with them; the other domains build as usual.
    stacks = addDomainStacks(app, result.partial, { onlyDomain, governance: { root }, blocked });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  if (String(app.node.tryGetContext(CDK_NAG_CONTEXT)) === 'true') enableCdkNag(app, stacks);
  // -c platform-guard=true: the CloudFormation Guard Hook that enforces the deploy-time rules (MeshPlatform-Guard).
  addPlatformGuardStack(app, result.partial);
  const assembly = app.synth();
  // One <stack>.policy-report.json per stack beside the templates, and a summary line per stack on stderr.
  writePolicyReports(app, assembly.directory);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
