/**
 * One measured synth of a mesh folder, run in its own process so wall time and peak memory are its own.
 * Prints one JSON line: stacks, resources per stack, largest template bytes, RSS.
 *   tsx test/bench/synth-child.ts <meshDir> <outDir> [--domain <name>] [--no-governance] [--no-contracts] [--cdk-nag]
 * --no-governance builds the stacks without the policy engine; --no-contracts runs the engine without the
 * contract checks (lib/contracts); --cdk-nag adds the AwsSolutions pack; --cli-context sets the context the
 * CDK CLI and bin/app.ts give the app (path metadata, version reporting, annotations kept per stack).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { governanceOf, writePolicyReports } from '../../lib/policies';
import { enableCdkNag } from '../../lib/policies/cdk-nag';

const [meshDir, outDir, ...flags] = process.argv.slice(2);
const onlyDomain = flags.includes('--domain') ? flags[flags.indexOf('--domain') + 1] : undefined;
const governance = !flags.includes('--no-governance');
const started = performance.now();
const mesh = loadMesh({ root: meshDir });
const loaded = performance.now();
const cpuAtLoad = process.cpuUsage();
const app = new App({
  outdir: outDir,
  // Measure the platform, not CDK's built-in validator (REFERENCE.md: ~2.4 s fixed + 0.09 s per stack).
  builtinCloudFormationValidation: false,
  treeMetadata: MESH_TREE_METADATA,
  // The platform's feature flags, not the mesh folder's (a synthetic mesh's cdk.json holds only its prefix).
  context: {
    ...readCdkContext(path.resolve(__dirname, '..', '..')),
    ...meshSynthContext(),
    // Report validation findings (cdk-nag) instead of throwing, as the CDK CLI does.
    '@aws-cdk/core:failSynthOnValidationErrors': false,
    ...(flags.includes('--cli-context')
      ? {
          'aws:cdk:enable-path-metadata': true,
          'aws:cdk:version-reporting': true,
          '@aws-cdk/core:annotationsInValidationReport': false,
        }
      : {}),
  },
});
const sources = flags.includes('--no-contracts') ? { sources: [] } : {};
const stacks = addDomainStacks(app, mesh, {
  onlyDomain,
  governance: governance ? { root: meshDir, ...sources } : false,
});
if (flags.includes('--cdk-nag')) enableCdkNag(app, stacks);
const assembly = app.synth();
// What bin/app.ts does after synthesis: reports and summary lines (summaries are not printed here).
const reportsStarted = performance.now();
if (governance) writePolicyReports(app, assembly.directory, () => {});
const reportsMs = performance.now() - reportsStarted;
const timings = governanceOf(app)?.timings;
const finished = performance.now();
const cpu = process.cpuUsage(cpuAtLoad);

let largestTemplateBytes = 0;
let maxResources = 0;
let templates = 0;
for (const file of fs.readdirSync(outDir)) {
  if (!file.endsWith('.template.json')) continue;
  templates++;
  const text = fs.readFileSync(path.join(outDir, file), 'utf8');
  largestTemplateBytes = Math.max(largestTemplateBytes, Buffer.byteLength(text));
  maxResources = Math.max(maxResources, Object.keys(JSON.parse(text).Resources ?? {}).length);
}
process.stdout.write(
  `${JSON.stringify({
    stacks: assembly.stacks.length,
    templates,
    maxResources,
    largestTemplateBytes,
    loadMs: Math.round(loaded - started),
    synthMs: Math.round(finished - loaded),
    // CPU time of the same phase: less sensitive than wall time to other work on the machine.
    synthCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    // The engine's own time inside synthMs (walk, evaluation with external checks, reports).
    ...(timings
      ? {
          engineMs: Math.round(timings.walkMs + timings.evaluateMs + reportsMs),
          externalMs: Math.round(timings.externalMs),
        }
      : {}),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
