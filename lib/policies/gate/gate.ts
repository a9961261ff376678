/**
 * The gate: every rule of the policy engine run again on a synthesized cloud assembly, from the files alone,
 * and compared with the policy reports synthesis wrote. A stack passes when the gate finds no error and the
 * report says exactly what the gate finds; it runs apart from the CDK app (`npx mesh gate`, CI, and
 * `npx mesh deploy` before the CLI deploys the very assembly gated), so what deploys is what was checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mesh } from '../../mesh/model';
import { domainNames } from '../../mesh/naming';
import { type DefinitionProblem, formatProblem } from '../../mesh/problems';
import { createPolicyEngine, type GovernanceOptions } from '../apply';
import { reportFileName, summaryLine } from '../report';
import { TaggableTypes } from '../template/taggable-types';
import { type AssemblyStack, readAssembly } from './assembly';
import { collectStack } from './collect';
import { compareWithReport, type Difference } from './compare';
import { readReport } from './read-report';

/** Why the gate could not run (exit 2): nothing was judged. */
export class GateError extends Error {
  override readonly name = 'GateError';
}

export interface GateOptions {
  /** The cloud assembly folder (`cdk.out`, or the `--output` of `cdk synth`). */
  readonly assembly: string;
  /** The mesh the assembly was synthesized from (the definitions as data): what loaded. */
  readonly mesh: Mesh;
  /**
   * Domains whose definitions have problems (tryLoadMesh's `blocked`): synthesis gives each a stack that
   * fails with them, and so does the gate. @default none
   */
  readonly blocked?: ReadonlyMap<string, readonly DefinitionProblem[]>;
  /** Project root, for the contract lock files the contract rules read. */
  readonly root: string;
  /** Gate only these stacks (artifact ids, e.g. `Mesh-Sales`). @default every stack of the assembly */
  readonly stacks?: readonly string[];
  /**
   * Rules, sources, exceptions and approvers; only tests change them (and fix the day).
   * @default those synthesis uses (createPolicyEngine in lib/policies/apply.ts)
   */
  readonly governance?: GovernanceOptions;
}

export type Verdict = 'pass' | 'fail' | 'not-governed';

export interface GateStackResult {
  readonly stack: string;
  readonly verdict: Verdict;
  /** Template files gated: the stack's, then its nested stacks'. */
  readonly templates: readonly string[];
  /** The gate's own summary of the stack, as synthesis prints it. */
  readonly summary?: string;
  /** Error findings, as formatted lines. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Differences between the report and what the gate finds. */
  readonly differences: readonly Difference[];
  /** Something to know that is not an error, e.g. the report was made on another day. */
  readonly note?: string;
}

export interface GateResult {
  readonly passed: boolean;
  readonly today: string;
  readonly stacks: readonly GateStackResult[];
  /** The gate's own time. */
  readonly ms: number;
}

export function runGate(options: GateOptions): GateResult {
  const started = performance.now();
  const { stacks } = readAssembly(options.assembly, options.stacks);
  const engine = createPolicyEngine({ root: options.root, ...options.governance });
  const taggable = new TaggableTypes();
  const { config } = options.mesh;
  const byStackName = new Map(options.mesh.domains.map((d) => [domainNames(config, d.name).stackName, d]));
  const blocked = new Map(
    [...(options.blocked ?? [])].map(([name, problems]) => [domainNames(config, name).stackName, problems]),
  );
  const results = stacks.map((assemblyStack): GateStackResult => {
    const templates = assemblyStack.templates.map((t) => t.file);
    const problems = blocked.get(assemblyStack.stackName);
    if (problems) return blockedStack(assemblyStack, templates, problems);
    const domain = byStackName.get(assemblyStack.stackName);
    if (!domain) return notADomainStack(options, assemblyStack, templates);
    const collected = collectStack(options.mesh, domain, assemblyStack, taggable);
    const { report } = engine.evaluateTemplates(collected.stack, collected.templates);
    const reading = readReport(options.assembly, assemblyStack.stackName);
    const differences = compareWithReport(report, reading, {
      stackTemplate: templates[0],
      templateOf: collected.templateOf,
    });
    const errors = report.findings.filter((f) => f.status === 'fail' && f.severity === 'error').map((f) => f.text);
    const warnings = report.findings.filter((f) => f.status === 'fail' && f.severity === 'warning').map((f) => f.text);
    const reportDay = reading.ok ? reading.report.today : undefined;
    return {
      stack: assemblyStack.id,
      verdict: errors.length === 0 && differences.length === 0 ? 'pass' : 'fail',
      templates,
      summary: summaryLine(report),
      errors,
      warnings,
      differences,
      note:
        reportDay && reportDay !== report.today
          ? `the report was made on ${reportDay}; the gate judged by ${report.today}`
          : undefined,
    };
  });
  return {
    passed: results.every((r) => r.verdict !== 'fail'),
    today: engine.today,
    stacks: results,
    ms: Math.round(performance.now() - started),
  };
}

/** The stack of a domain whose definitions have problems: it fails with them, as its synth does. */
function blockedStack(
  stack: AssemblyStack,
  templates: readonly string[],
  problems: readonly DefinitionProblem[],
): GateStackResult {
  return {
    stack: stack.id,
    verdict: 'fail',
    templates,
    errors: problems.map(formatProblem),
    warnings: [],
    differences: [],
    note: "the domain's definitions have problems, so its stack is blocked (npx mesh validate lists them)",
  };
}

/**
 * A stack of no domain of the mesh: the engine does not govern it, so the gate cannot pass it when asked for
 * it by name, nor when synthesis left a report for it (the assembly is older than the definitions).
 */
function notADomainStack(options: GateOptions, stack: AssemblyStack, templates: readonly string[]): GateStackResult {
  const reported = fs.existsSync(path.join(options.assembly, reportFileName(stack.stackName)));
  const named = options.stacks?.includes(stack.id) ?? false;
  if (!reported && !named) {
    return {
      stack: stack.id,
      verdict: 'not-governed',
      templates,
      errors: [],
      warnings: [],
      differences: [],
      note: 'not a domain stack of the mesh: no policy rules apply, not gated',
    };
  }
  return {
    stack: stack.id,
    verdict: 'fail',
    templates,
    errors: [],
    warnings: [],
    differences: [
      {
        file: reported ? reportFileName(stack.stackName) : templates[0],
        message: `${stack.stackName} is the stack of no domain of the mesh (${options.mesh.domains.map((d) => d.name).join(', ')})${reported ? ', yet the assembly holds a policy report for it: the assembly is older than the definitions' : ''}`,
      },
    ],
  };
}
