/**
 * Reads a stack's templates out of a cloud assembly folder (what `cdk synth -o <dir>` writes): the stack's own
 * template and, recursively, those of its nested stacks, which are file assets named in the parent's metadata.
 * Plain JSON reading: the assembly library is not needed for this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template, TemplateSet } from './compare';

interface Manifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly displayName?: string;
      readonly properties?: { templateFile?: string; stackName?: string };
    }
  >;
}

/** The stack's templates, named as in TemplateSet; empty when the assembly has no such stack. */
export function readStackTemplates(assemblyDir: string, stackName: string): TemplateSet {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const templates = new Map<string, Template>();
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    if ((artifact.properties?.stackName ?? id) !== stackName) continue;
    const file = artifact.properties?.templateFile ?? `${id}.template.json`;
    addWithNested(assemblyDir, stackName, file, templates);
  }
  return templates;
}

function addWithNested(assemblyDir: string, name: string, file: string, into: Map<string, Template>): void {
  const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8')) as Template;
  into.set(name, template);
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const nestedFile = resource.Metadata?.['aws:asset:path'];
    if (typeof nestedFile === 'string' && fs.existsSync(path.join(assemblyDir, nestedFile))) {
      addWithNested(assemblyDir, `${name}/${logicalId}`, nestedFile, into);
    }
  }
}
