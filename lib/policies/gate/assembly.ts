/**
 * A cloud assembly as the gate reads it: the CloudFormation stacks of manifest.json, each with its template
 * and its nested stacks' templates (found through the `aws:asset:path` metadata CDK writes on each nested
 * stack resource), read as text so their hash and size are those of the files the CDK CLI deploys.
 *
 * manifest.json is parsed with zod for the few fields the gate needs: aws-cdk-lib's own schema validator
 * costs 0.3 s to load, most of the gate's fixed time.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { isObject, type JsonObject } from '../template/resolved-resource';

/** Why the gate could not read an assembly (not a finding: nothing was checked). */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

/** The account and region CDK writes for an environment-agnostic stack. */
const UNKNOWN_ACCOUNT = 'unknown-account';
const UNKNOWN_REGION = 'unknown-region';

const ManifestSchema = z.object({
  version: z.string(),
  artifacts: z
    .record(
      z.string(),
      z.looseObject({
        type: z.string(),
        environment: z.string().optional(),
        displayName: z.string().optional(),
        properties: z.looseObject({ templateFile: z.string().optional(), stackName: z.string().optional() }).optional(),
      }),
    )
    .default({}),
});

export interface AssemblyTemplate {
  /** File name in the assembly folder. */
  readonly file: string;
  /** Construct path of the stack or nested stack that wrote it, e.g. `Mesh-Sales/Products0`. */
  readonly stackPath: string;
  readonly text: string;
  readonly sha256: string;
  readonly template: JsonObject;
}

export interface AssemblyStack {
  /** Artifact id: the name `cdk deploy` selects. */
  readonly id: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Construct path of the stack. */
  readonly path: string;
  /** Literal account and region, or undefined where the stack is environment-agnostic. */
  readonly env: { readonly account?: string; readonly region?: string };
  /** The stack's template first, then its nested stacks' templates, depth first. */
  readonly templates: readonly AssemblyTemplate[];
}

export interface Assembly {
  readonly dir: string;
  readonly stacks: readonly AssemblyStack[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The stacks of the assembly in `dir`, with their templates read; with `only`, just those stacks (by artifact
 * id), whose templates alone are read.
 */
export function readAssembly(dir: string, only?: readonly string[]): Assembly {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new AssemblyError(
      `${manifestFile} is missing: ${dir} is not a cloud assembly; synthesize first (npx cdk synth writes cdk.out)`,
    );
  }
  const parsed = ManifestSchema.safeParse(readJson(manifestFile));
  if (!parsed.success) {
    throw new AssemblyError(`${manifestFile} is not a cloud assembly manifest: ${z.prettifyError(parsed.error)}`);
  }
  const artifacts = Object.entries(parsed.data.artifacts);
  const nestedAssembly = artifacts.find(([, artifact]) => artifact.type === 'cdk:cloud-assembly');
  if (nestedAssembly) {
    throw new AssemblyError(
      `${manifestFile}: artifact ${nestedAssembly[0]} is a nested cloud assembly (a Stage); the gate reads the stacks of one assembly only`,
    );
  }
  const stackArtifacts = artifacts.filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  const missing = (only ?? []).filter((id) => !stackArtifacts.some(([stackId]) => stackId === id));
  if (missing.length > 0) {
    throw new AssemblyError(
      `no stack ${missing.join(', ')} in the assembly (stacks: ${stackArtifacts.map(([id]) => id).join(', ') || 'none'})`,
    );
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of stackArtifacts) {
    if (only && only.length > 0 && !only.includes(id)) continue;
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) throw new AssemblyError(`${manifestFile}: stack ${id} names no templateFile`);
    const stackPath = artifact.displayName ?? id;
    const seen = new Set<string>();
    stacks.push({
      id,
      stackName: artifact.properties?.stackName ?? id,
      path: stackPath,
      env: parseEnvironment(artifact.environment),
      templates: readTemplates(dir, templateFile, stackPath, seen),
    });
  }
  return { dir, stacks };
}

function parseEnvironment(environment: string | undefined): AssemblyStack['env'] {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  if (!match) return {};
  return {
    account: match[1] === UNKNOWN_ACCOUNT ? undefined : match[1],
    region: match[2] === UNKNOWN_REGION ? undefined : match[2],
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AssemblyError(`${file} cannot be read as JSON: ${(err as Error).message}`);
  }
}

/** A template and, depth first, the templates of the nested stacks it declares. */
function readTemplates(dir: string, file: string, stackPath: string, seen: Set<string>): AssemblyTemplate[] {
  if (path.isAbsolute(file) || path.normalize(file).startsWith('..')) {
    throw new AssemblyError(`template ${file} of ${stackPath} lies outside the assembly ${dir}`);
  }
  if (seen.has(file)) throw new AssemblyError(`template ${file} is nested in ${stackPath} more than once`);
  seen.add(file);
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) throw new AssemblyError(`template ${file} of ${stackPath} is missing from ${dir}`);
  const text = fs.readFileSync(full, 'utf8');
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (err) {
    throw new AssemblyError(`template ${file} of ${stackPath} is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(template)) throw new AssemblyError(`template ${file} of ${stackPath} is not a JSON object`);
  const own: AssemblyTemplate = { file, stackPath, text, sha256: sha256(text), template };
  const nested: AssemblyTemplate[] = [];
  const resources = isObject(template.Resources) ? template.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
    const asset = metadata['aws:asset:path'];
    if (typeof asset !== 'string') {
      throw new AssemblyError(
        `${file}: nested stack ${logicalId} has no aws:asset:path metadata, so the gate cannot find its template; synthesize with the CDK CLI (asset metadata on)`,
      );
    }
    nested.push(...readTemplates(dir, asset, nestedStackPath(metadata['aws:cdk:path'], stackPath, logicalId), seen));
  }
  return [own, ...nested];
}

/**
 * Construct path of a nested stack from its resource's path: CDK names the resource
 * `<parent>/<id>.NestedStack/<id>.NestedStackResource` for the nested stack `<parent>/<id>`.
 */
function nestedStackPath(resourcePath: unknown, parentPath: string, logicalId: string): string {
  const match =
    typeof resourcePath === 'string'
      ? /^(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/.exec(resourcePath)
      : null;
  return match ? `${match[1]}/${match[2]}` : `${parentPath}/${logicalId}`;
}
