/**
 * The policy engine: one read-only Aspect over the governed stacks, and one evaluation per stack.
 *
 * The walk records each CloudFormation resource's construct and the product it belongs to; it resolves
 * nothing. Properties are resolved exactly once, by synthesis itself: right after a stack's template (and
 * its nested stacks' templates) are written, and before its artifact and annotations are recorded, the
 * engine reads the templates and hands each resource to the rules registered for its type. So rules see
 * exactly what will be deployed (tags, removal policies, overrides), deploy-time values stay visible as
 * `Ref`/`Fn::*`, anything in the template is checked (also resources no construct of ours made), and a
 * finding becomes an annotation on its construct: an error makes `cdk synth` of that stack fail.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Annotations,
  AspectPriority,
  Aspects,
  CfnResource,
  FeatureFlags,
  type IAspect,
  Stack,
  TagManager,
  Token,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Mesh } from '../../mesh/model';
import type { ApproverRegistry } from '../approver-registry';
import { APPROVER_REGISTRY } from '../approvers';
import type { ExceptionJudgement } from '../exception-checks';
import { PlatformExceptionSet, type Subject } from '../exceptions';
import type { AttachedFinding } from '../findings';
import type { Rule } from '../model';
import type { PlatformException } from '../platform-exceptions';
import { RuleRegistry } from '../registry';
import { buildStackReport, type StackReport } from '../report';
import { externalRules, type MeshFinding, type MeshFindingSource } from '../sources/mesh-finding-source';
import { type JsonObject, type ResolvedResource, readTemplateResources } from '../template/resolved-resource';
import { TaggableTypes } from '../template/taggable-types';
import { PLACEHOLDERS } from '../template/template-view';
import { type CollectedTemplate, type EvaluatedStack, evaluateStack, type StackEvaluation } from './evaluate';
import { evaluatedStack, type GovernedStack, type StackSubjects, subjectsOf } from './governed-stack';
import { onTemplatesWritten } from './synthesizer-hook';

/** Feature flag that writes templates without indentation (half the size). */
const SUPPRESS_TEMPLATE_INDENTATION = '@aws-cdk/core:suppressTemplateIndentation';

export interface PolicyEngineOptions {
  /** The rules to run (engine rules are always added). */
  readonly rules: readonly Rule[];
  /** Calendar day (YYYY-MM-DD, UTC) for exception expiry and date rules. */
  readonly today: string;
  /**
   * Who may approve exceptions, and for how long.
   * @default APPROVER_REGISTRY (lib/policies/approvers.ts)
   */
  readonly approvers?: ApproverRegistry;
  /** External mesh checks, run once per synthesis. @default none */
  readonly sources?: readonly MeshFindingSource[];
  /** Project root handed to the sources. @default process.cwd() */
  readonly root?: string;
  /** Exceptions for the platform's own constructs. @default none */
  readonly platformExceptions?: readonly PlatformException[];
}

/** What the walk learns about one resource construct. */
interface WalkedResource {
  readonly construct: CfnResource;
  readonly subject: Subject;
  readonly taggable: boolean;
}

interface StackRun {
  readonly stack: GovernedStack;
  readonly subjects: StackSubjects;
  /** Resources seen by the walk, by the stack whose template holds them (the stack or a nested stack). */
  walked: Map<Stack, WalkedResource[]>;
}

export class PolicyEngine implements IAspect {
  readonly registry: RuleRegistry;
  readonly today: string;
  private readonly sources: readonly MeshFindingSource[];
  private readonly root: string;
  private readonly runs = new Map<IConstruct, StackRun>();
  /** Product subjects by product construct, across the governed stacks. */
  private readonly productSubjects = new Map<IConstruct, Subject>();
  private readonly reports = new Map<string, StackReport>();
  private external?: readonly MeshFinding[];
  private readonly platform: PlatformExceptionSet;
  private readonly judgement: ExceptionJudgement;
  private readonly taggableTypes = new TaggableTypes();
  /** Time the engine spent in the last synthesis, for benchmarks and the curious. */
  readonly timings = { walkMs: 0, evaluateMs: 0, externalMs: 0 };

  constructor(options: PolicyEngineOptions) {
    this.sources = options.sources ?? [];
    this.registry = new RuleRegistry([...options.rules, ...this.sources.flatMap(externalRules)]);
    this.today = options.today;
    this.root = options.root ?? process.cwd();
    this.judgement = { today: this.today, approvers: options.approvers ?? APPROVER_REGISTRY };
    this.platform = new PlatformExceptionSet(
      options.platformExceptions ?? [],
      (id) => this.registry.get(id),
      this.judgement,
    );
  }

  /** Puts a stack under governance: the aspect walks it, and its synthesis evaluates it. */
  govern(stack: GovernedStack): void {
    if (this.runs.has(stack)) return;
    const subjects = subjectsOf(stack);
    this.runs.set(stack, { stack, subjects, walked: new Map() });
    for (const [construct, subject] of subjects.byConstruct) this.productSubjects.set(construct, subject);
    Aspects.of(stack).add(this, { priority: AspectPriority.READONLY });
    // Between writing the stack's templates and recording its artifact and annotations.
    onTemplatesWritten(stack, (outdir) => this.finish(stack, outdir));
  }

  /** Whether the stack is under this engine's governance. */
  governs(stack: IConstruct): boolean {
    return this.runs.has(stack);
  }

  /** Stacks under governance. */
  get stacks(): GovernedStack[] {
    return [...this.runs.values()].map((r) => r.stack);
  }

  /** Reports of the stacks evaluated by the last synthesis, in stack order. */
  stackReports(): StackReport[] {
    return this.stacks.map((s) => this.reports.get(s.stackName)).filter((r): r is StackReport => r !== undefined);
  }

  visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node)) {
      const started = performance.now();
      this.record(node);
      this.timings.walkMs += performance.now() - started;
      return;
    }
    // A new synthesis walks the stack again from its root: start over.
    const run = this.runs.get(node);
    if (run) {
      run.walked = new Map();
      if (this.runs.size > 0 && node === this.stacks[0]) this.resetTimings();
    }
  }

  private resetTimings(): void {
    this.timings.walkMs = 0;
    this.timings.evaluateMs = 0;
    this.timings.externalMs = 0;
  }

  private record(resource: CfnResource): void {
    let subject: Subject | undefined;
    let run: StackRun | undefined;
    for (let scope = resource.node.scope; scope && !run; scope = scope.node.scope) {
      subject ??= this.productSubjects.get(scope);
      run = this.runs.get(scope);
    }
    if (!run) return;
    const templateStack = Stack.of(resource);
    let list = run.walked.get(templateStack);
    if (!list) {
      list = [];
      run.walked.set(templateStack, list);
    }
    list.push({
      construct: resource,
      subject: subject ?? run.subjects.domain,
      taggable: TagManager.isTaggable(resource) || TagManager.isTaggableV2(resource),
    });
  }

  /**
   * Evaluates templates read back from a cloud assembly, anchored on construct paths (the gate,
   * lib/policies/gate): the same rules, exceptions and external findings as synthesis.
   */
  evaluateTemplates(
    stack: EvaluatedStack<string>,
    templates: readonly CollectedTemplate<string>[],
  ): { evaluation: StackEvaluation<string>; report: StackReport } {
    const evaluation = evaluateStack({
      stack,
      templates,
      pathOf: (anchor) => anchor,
      registry: this.registry,
      today: this.today,
      judgement: this.judgement,
      external: this.externalFindings(stack.mesh),
      platform: this.platform,
    });
    return { evaluation, report: buildStackReport(evaluation, this.registry, this.today) };
  }

  private finish(stack: GovernedStack, outdir: string): void {
    const run = this.runs.get(stack);
    if (!run) return;
    const started = performance.now();
    const templateStacks = new Set<Stack>([stack, ...run.walked.keys()]);
    const templates = [...templateStacks].map((templateStack) =>
      this.readTemplate(templateStack, run.walked.get(templateStack) ?? [], run.subjects.domain, outdir),
    );
    const evaluation = evaluateStack({
      stack: evaluatedStack(stack, run.subjects),
      templates,
      pathOf: (construct) => construct.node.path,
      registry: this.registry,
      today: this.today,
      judgement: this.judgement,
      external: this.externalFindings(stack.mesh),
      platform: this.platform,
    });
    annotate(evaluation.findings);
    this.reports.set(stack.stackName, buildStackReport(evaluation, this.registry, this.today));
    this.timings.evaluateMs += performance.now() - started;
  }

  /** One written template, each resource paired with the construct the walk saw (if any). */
  private readTemplate(
    templateStack: Stack,
    walked: readonly WalkedResource[],
    domain: Subject,
    outdir: string,
  ): CollectedTemplate<IConstruct> {
    const file = path.join(outdir, templateStack.templateFile);
    const text = fs.readFileSync(file, 'utf8');
    const parsed = readTemplateResources(JSON.parse(text) as JsonObject);
    const byLogicalId = mapLogicalIds(templateStack, walked, parsed);
    const resources = parsed.map((resource): ResolvedResource & { walked?: WalkedResource } => {
      const entry = byLogicalId.get(resource.logicalId);
      return entry
        ? { ...resource, path: entry.construct.node.path, taggable: entry.taggable, walked: entry }
        : {
            ...resource,
            path: resource.path || `${templateStack.node.path}/${resource.logicalId}`,
            taggable: this.taggableTypes.isTaggable(resource.type),
          };
    });
    return {
      anchor: templateStack,
      source: { file: templateStack.templateFile, sha256: createHash('sha256').update(text).digest('hex') },
      options: {
        stackPath: templateStack.node.path,
        env: {
          account: Token.isUnresolved(templateStack.account) ? PLACEHOLDERS.account : templateStack.account,
          region: Token.isUnresolved(templateStack.region) ? PLACEHOLDERS.region : templateStack.region,
        },
        indented: !FeatureFlags.of(templateStack).isEnabled(SUPPRESS_TEMPLATE_INDENTATION),
        templateBytes: Buffer.byteLength(text),
      },
      // Resources no construct of the walk made (added after it, or by hand into the template) are checked
      // too, and reported on the stack as domain-level resources.
      resources: resources.map(({ walked: entry, ...resolved }) => ({
        resolved,
        anchor: entry?.construct ?? templateStack,
        subject: entry?.subject ?? domain,
      })),
    };
  }

  private externalFindings(mesh: Mesh): readonly MeshFinding[] {
    if (!this.external) {
      const started = performance.now();
      this.external = this.sources.flatMap((source) => source.check(mesh, this.root, this.today));
      this.timings.externalMs += performance.now() - started;
    }
    return this.external;
  }
}

/**
 * Pairs template resources with the constructs of the walk: by `aws:cdk:path` metadata when the template
 * carries it (the CDK CLI turns it on), else by resolving each construct's logical ID.
 */
function mapLogicalIds(
  templateStack: Stack,
  walked: readonly WalkedResource[],
  resources: readonly ResolvedResource[],
): Map<string, WalkedResource> {
  const byLogicalId = new Map<string, WalkedResource>();
  const byPath = new Map(walked.map((entry) => [entry.construct.node.path, entry]));
  for (const resource of resources) {
    const entry = resource.path ? byPath.get(resource.path) : undefined;
    if (entry) {
      byLogicalId.set(resource.logicalId, entry);
      byPath.delete(resource.path);
    }
  }
  for (const entry of byPath.values()) {
    byLogicalId.set(templateStack.resolve(entry.construct.logicalId) as string, entry);
  }
  return byLogicalId;
}

/**
 * Findings become annotations: errors block `cdk synth` of the stack, warnings inform, excepted findings are
 * info. Stack traces are left out: they would show the engine's call stack, not the user's code, and
 * capturing one per finding is most of the engine's cost on large meshes.
 */
function annotate(findings: readonly AttachedFinding[]): void {
  const previous = process.env.CDK_DISABLE_STACK_TRACE;
  process.env.CDK_DISABLE_STACK_TRACE = '1';
  try {
    for (const finding of findings) {
      const annotations = Annotations.of(finding.anchor);
      if (finding.status === 'excepted') annotations.addInfo(finding.text);
      else if (finding.severity === 'error') annotations.addError(finding.text);
      else annotations.addWarning(finding.text);
    }
  } finally {
    if (previous === undefined) delete process.env.CDK_DISABLE_STACK_TRACE;
    else process.env.CDK_DISABLE_STACK_TRACE = previous;
  }
}
