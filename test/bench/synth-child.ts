/**
 * One measured synth of a mesh folder, run in its own process so wall time and peak memory are its own.
 * Prints one JSON line: stacks, resources per stack, largest template bytes, RSS.
 *   tsx test/bench/synth-child.ts <meshDir> <outDir> [--domain <name>]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';

const [meshDir, outDir, flag, onlyDomain] = process.argv.slice(2);
const started = performance.now();
const mesh = loadMesh({ root: meshDir });
const loaded = performance.now();
const app = new App({
  outdir: outDir,
  // Measure the platform, not CDK's built-in validator (REFERENCE.md: ~2.4 s fixed + 0.09 s per stack).
  builtinCloudFormationValidation: false,
  // The platform's feature flags, not the mesh folder's (a synthetic mesh's cdk.json holds only its prefix).
  context: readCdkContext(path.resolve(__dirname, '..', '..')),
});
addDomainStacks(app, mesh, { onlyDomain: flag === '--domain' ? onlyDomain : undefined });
const assembly = app.synth();
const finished = performance.now();

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
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
