/**
 * The templates of a cloud assembly (cdk.out) that the Guard Hook would judge: stacks whose name matches its
 * stack filter, and their nested stacks (deployed under names that start with the parent's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMAIN_STACK_PATTERN, matchesStackPattern } from './catalogue';

export interface GuardedTemplate {
  /** The stack that deploys the template (the parent, for a nested stack). */
  readonly stackName: string;
  /** Absolute path of the template file. */
  readonly file: string;
}

interface Manifest {
  readonly artifacts?: Record<
    string,
    { readonly type: string; readonly properties?: { readonly templateFile?: string; readonly stackName?: string } }
  >;
}

interface AssetManifest {
  readonly files?: Record<string, { readonly source?: { readonly path?: string } }>;
}

/** Templates of the stacks matching the patterns; throws naming the folder when it holds no cloud assembly. */
export function guardedTemplates(
  assemblyDir: string,
  patterns: readonly string[] = [DOMAIN_STACK_PATTERN],
): GuardedTemplate[] {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${assemblyDir}: no manifest.json, so no cloud assembly: run npx cdk synth first`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const templates: GuardedTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const templateFile = artifact.properties?.templateFile;
    if (artifact.type !== 'aws:cloudformation:stack' || !templateFile) continue;
    const stackName = artifact.properties?.stackName ?? id;
    if (!patterns.some((pattern) => matchesStackPattern(pattern, stackName))) continue;
    templates.push({ stackName, file: path.resolve(assemblyDir, templateFile) });
    for (const nested of nestedTemplates(assemblyDir, id)) templates.push({ stackName, file: nested });
  }
  return templates;
}

/** Nested stack templates are file assets of their parent: `<parent>.assets.json` lists them. */
function nestedTemplates(assemblyDir: string, artifactId: string): string[] {
  const assetsFile = path.join(assemblyDir, `${artifactId}.assets.json`);
  if (!fs.existsSync(assetsFile)) return [];
  const assets = JSON.parse(fs.readFileSync(assetsFile, 'utf8')) as AssetManifest;
  return Object.values(assets.files ?? {})
    .map((asset) => asset.source?.path)
    .filter((source): source is string => source?.endsWith('.nested.template.json') === true)
    .map((source) => path.resolve(assemblyDir, source));
}
