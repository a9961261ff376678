/**
 * The policy engine: one read-only Aspect over the governed stacks. The walk resolves each CloudFormation
 * resource once (after tags and other mutating aspects have run on it) and remembers it; when CDK
 * validates the tree, each stack is evaluated in one go (rules by type, quotas per template, definitions),
 * its findings become annotations (errors block `cdk synth` of that stack) and its report is kept.
 */
import {
  Annotations,
  AspectPriority,
  Aspects,
  CfnResource,
  FeatureFlags,
  type IAspect,
  Stack,
  Token,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Subject } from '../exceptions';
import { formatFinding } from '../findings';
import type { Rule } from '../model';
import { RuleRegistry } from '../registry';
import { buildStackReport, type StackReport } from '../report';
import { externalRules, type MeshFinding, type MeshFindingSource } from '../sources/mesh-finding-source';
import { resolveResource } from '../template/resolved-resource';
import { PLACEHOLDERS } from '../template/template-view';
import { type CollectedTemplate, evaluateStack } from './evaluate';
import { type GovernedStack, type StackSubjects, subjectsOf } from './governed-stack';

/** Feature flag that writes templates without indentation (half the size). */
const SUPPRESS_TEMPLATE_INDENTATION = '@aws-cdk/core:suppressTemplateIndentation';

export interface PolicyEngineOptions {
  /** The rules to run (engine rules are always added). */
  readonly rules: readonly Rule[];
  /** Calendar day (YYYY-MM-DD, UTC) for exception expiry and date rules. */
  readonly today: string;
  /** External mesh checks, run once per synthesis. @default none */
  readonly sources?: readonly MeshFindingSource[];
  /** Project root handed to the sources. @default process.cwd() */
  readonly root?: string;
}

interface StackRun {
  readonly stack: GovernedStack;
  readonly subjects: StackSubjects;
  templates: Map<Stack, CollectedTemplate>;
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

  constructor(options: PolicyEngineOptions) {
    this.sources = options.sources ?? [];
    this.registry = new RuleRegistry([...options.rules, ...this.sources.flatMap(externalRules)]);
    this.today = options.today;
    this.root = options.root ?? process.cwd();
  }

  /** Puts a stack under governance: the aspect walks it, and its validation evaluates it. */
  govern(stack: GovernedStack): void {
    if (this.runs.has(stack)) return;
    const subjects = subjectsOf(stack);
    this.runs.set(stack, { stack, subjects, templates: new Map() });
    for (const [construct, subject] of subjects.byConstruct) this.productSubjects.set(construct, subject);
    Aspects.of(stack).add(this, { priority: AspectPriority.READONLY });
    // Validation runs after every aspect and before the templates are written: the walk is complete, and
    // annotations added now still reach the cloud assembly.
    stack.node.addValidation({ validate: () => this.finish(stack) });
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
      this.collect(node);
      return;
    }
    // A new synthesis walks the stack again from its root: start over.
    const run = this.runs.get(node);
    if (run) run.templates = new Map();
  }

  private collect(resource: CfnResource): void {
    let subject: Subject | undefined;
    let run: StackRun | undefined;
    for (let scope = resource.node.scope; scope && !run; scope = scope.node.scope) {
      subject ??= this.productSubjects.get(scope);
      run = this.runs.get(scope);
    }
    if (!run) return;
    subject ??= run.subjects.domain;
    const templateStack = Stack.of(resource);
    let template = run.templates.get(templateStack);
    if (!template) {
      template = {
        stack: templateStack,
        options: {
          stackPath: templateStack.node.path,
          env: {
            account: Token.isUnresolved(templateStack.account) ? PLACEHOLDERS.account : templateStack.account,
            region: Token.isUnresolved(templateStack.region) ? PLACEHOLDERS.region : templateStack.region,
          },
          indented: !FeatureFlags.of(templateStack).isEnabled(SUPPRESS_TEMPLATE_INDENTATION),
        },
        resources: [],
        failures: [],
      };
      run.templates.set(templateStack, template);
    }
    try {
      template.resources.push({ resolved: resolveResource(resource), construct: resource, subject });
    } catch (err) {
      template.failures.push({ construct: resource, subject, error: (err as Error).message.split('\n')[0] });
    }
  }

  private finish(stack: GovernedStack): string[] {
    const run = this.runs.get(stack);
    if (!run) return [];
    const evaluation = evaluateStack({
      stack,
      subjects: run.subjects,
      templates: run.templates.values(),
      registry: this.registry,
      today: this.today,
      external: this.externalFindings(stack),
    });
    for (const finding of evaluation.findings) {
      const text = formatFinding(finding);
      const annotations = Annotations.of(finding.construct);
      if (finding.status === 'excepted') annotations.addInfo(text);
      else if (finding.severity === 'error') annotations.addError(text);
      else annotations.addWarning(text);
    }
    this.reports.set(stack.stackName, buildStackReport(evaluation, this.registry, this.today));
    // Findings are annotations, not validation errors: a validation error would stop every stack's synthesis.
    return [];
  }

  private externalFindings(stack: GovernedStack): readonly MeshFinding[] {
    if (!this.external) {
      this.external = this.sources.flatMap((source) => source.check(stack.mesh, this.root, this.today));
    }
    return this.external;
  }
}
