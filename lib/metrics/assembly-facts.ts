/**
 * What the mesh metrics need from a synthesized cloud assembly, read from its files: for each domain stack,
 * the references its templates make to other stacks, the other stacks manifest.json makes it depend on, and
 * the counts and findings of its policy report. Reading is kept apart from the computation
 * (lib/metrics/compute.ts), so the same numbers come from a fixture as from `cdk.out`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mesh } from '../mesh/model';
import { domainNames } from '../mesh/naming';
import { AssemblyError, type AssemblyTemplate, readAssembly } from '../policies/gate/assembly';
import { readReport } from '../policies/gate/read-report';
import { isObject } from '../policies/template/resolved-resource';

/** A value a template takes from another stack. */
export interface StackReference {
  /** Template file in the assembly. */
  readonly file: string;
  /** `Fn::ImportValue` (an export of another stack) or CDK's cross-region export reader. */
  readonly kind: 'Fn::ImportValue' | 'Custom::CrossRegionExportReader';
  /** The export imported, when written literally; the resource's logical id for a reader. */
  readonly target: string;
}

/** One failed or excepted finding of a policy report. */
export interface ReportFindingFacts {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  readonly status: 'fail' | 'excepted';
  /** Definition (or lock) file the finding is about, relative to the project root. */
  readonly file: string;
  readonly message: string;
}

/** A stack's policy report, reduced to what the metrics read. */
export interface ReportFacts {
  /** Day the checks were made on. */
  readonly today: string;
  /** Rule × subject checks, summed over the report's rules. */
  readonly pass: number;
  readonly fail: number;
  readonly excepted: number;
  /** Failed findings by severity (excepted ones are not counted). */
  readonly errors: number;
  readonly warnings: number;
  /** Definition files the report checked, to tell a report of an earlier synth from a current one. */
  readonly definitionFiles: readonly string[];
  readonly findings: readonly ReportFindingFacts[];
}

export interface StackFacts {
  /** Artifact id in manifest.json, e.g. `Mesh-Sales`. */
  readonly id: string;
  /** Template files of the stack: its own first, then its nested stacks'. */
  readonly templates: readonly string[];
  readonly references: readonly StackReference[];
  /** Other CloudFormation stacks manifest.json makes it depend on (asset manifests left out). */
  readonly dependsOn: readonly string[];
  /** The report, or why there is none usable. */
  readonly report: ReportFacts | { readonly problem: string };
}

export interface AssemblyFacts {
  /** The assembly folder read. */
  readonly dir: string;
  /** Domain stacks of the mesh found in the assembly, by artifact id. */
  readonly stacks: readonly StackFacts[];
}

/** The artifacts of manifest.json: their type and dependencies (the gate's reader keeps neither). */
interface ManifestArtifact {
  readonly type?: unknown;
  readonly dependencies?: unknown;
}

/**
 * Reads the domain stacks of `mesh` found in the assembly in `dir` (stacks of other domains, or none, are
 * left out). Throws AssemblyError when `dir` is not a readable cloud assembly.
 */
export function readAssemblyFacts(dir: string, mesh: Mesh): AssemblyFacts {
  const artifacts = readManifestArtifacts(dir);
  const isStack = (id: string) => artifacts[id]?.type === 'aws:cloudformation:stack';
  const wanted = mesh.domains.map((d) => domainNames(mesh.config, d.name).stackName).filter(isStack);
  const assembly = readAssembly(dir, wanted);
  const stacks = assembly.stacks.map((stack): StackFacts => {
    const dependencies = artifacts[stack.id]?.dependencies;
    return {
      id: stack.id,
      templates: stack.templates.map((t) => t.file),
      references: stack.templates.flatMap(referencesOf),
      dependsOn: (Array.isArray(dependencies) ? dependencies : []).filter(
        (d): d is string => typeof d === 'string' && d !== stack.id && isStack(d),
      ),
      report: reportFacts(dir, stack.id),
    };
  });
  return { dir, stacks };
}

function readManifestArtifacts(dir: string): Record<string, ManifestArtifact> {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new AssemblyError(`${file} is missing: ${dir} is not a cloud assembly (npx cdk synth writes cdk.out)`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AssemblyError(`${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  const artifacts = isObject(manifest) ? manifest.artifacts : undefined;
  return isObject(artifacts) ? (artifacts as Record<string, ManifestArtifact>) : {};
}

/** Every `Fn::ImportValue` anywhere in the template, and every cross-region export reader resource. */
function referencesOf(template: AssemblyTemplate): StackReference[] {
  const found: StackReference[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Fn::ImportValue') {
        found.push({ file: template.file, kind: 'Fn::ImportValue', target: literal(inner) });
      }
      visit(inner);
    }
  };
  visit(template.template);
  const resources = isObject(template.template.Resources) ? template.template.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (isObject(resource) && resource.Type === 'Custom::CrossRegionExportReader') {
      found.push({ file: template.file, kind: 'Custom::CrossRegionExportReader', target: logicalId });
    }
  }
  return found;
}

/** The export name when it is a literal; a short form of the expression otherwise. */
function literal(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value).slice(0, 80);
}

function reportFacts(dir: string, stackId: string): StackFacts['report'] {
  const reading = readReport(dir, stackId);
  if (!reading.ok) return { problem: reading.problem };
  const { report } = reading;
  const sum = (status: 'pass' | 'fail' | 'excepted') => report.rules.reduce((n, rule) => n + rule[status], 0);
  let errors = 0;
  let warnings = 0;
  for (const finding of report.findings) {
    if (finding.status !== 'fail') continue;
    if (finding.severity === 'error') errors++;
    else warnings++;
  }
  return {
    today: report.today,
    pass: sum('pass'),
    fail: sum('fail'),
    excepted: sum('excepted'),
    errors,
    warnings,
    definitionFiles: [...new Set(report.results.filter((r) => r.kind !== 'resource').map((r) => r.file))],
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      status: f.status,
      file: f.file,
      message: f.message,
    })),
  };
}
