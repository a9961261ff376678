/**
 * Evaluation of one governed stack once its resources are collected: resource rules by type, stack rules
 * per template, mesh rules per product and domain, external findings, then the exceptions. Produces the
 * findings to annotate and the rule × subject results for the report.
 */
import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Mesh } from '../../mesh/model';
import { type DomainNames, domainNames } from '../../mesh/naming';
import { type ExceptionJudgement, ExceptionSet, type PlatformExceptionSet, type Subject } from '../exceptions';
import { type AttachedFinding, type Finding, formatFinding } from '../findings';
import type { ResourceContext, RuleMeta, Violation } from '../model';
import { PLATFORM_EXCEPTIONS_FILE } from '../platform-exceptions';
import type { RuleRegistry } from '../registry';
import type { MeshFinding } from '../sources/mesh-finding-source';
import type { ResolvedResource } from '../template/resolved-resource';
import { TemplateView, type TemplateViewOptions } from '../template/template-view';
import type { GovernedStack, StackSubjects } from './governed-stack';

export type CheckStatus = 'pass' | 'fail' | 'excepted';

/** The results of every rule on one subject: a resource, a template, or a definition. */
export interface CheckRecord {
  /** Construct path. */
  readonly path: string;
  readonly kind: 'resource' | 'template' | 'definition';
  readonly type?: string;
  readonly logicalId?: string;
  readonly file: string;
  readonly results: Record<string, CheckStatus>;
}

export interface CollectedResource {
  readonly resolved: ResolvedResource;
  /** Where its findings attach: its construct, or the stack for resources no construct of the walk made. */
  readonly construct: IConstruct;
  readonly subject: Subject;
}

/** The resources of one template (the domain stack, or one of its nested stacks). */
export interface CollectedTemplate {
  readonly stack: Stack;
  readonly options: TemplateViewOptions;
  readonly resources: readonly CollectedResource[];
}

export interface StackEvaluation {
  readonly stackName: string;
  readonly findings: readonly AttachedFinding[];
  readonly checks: readonly CheckRecord[];
  /** Rules that ran at least once on this stack. */
  readonly rulesRun: ReadonlySet<string>;
}

export interface EvaluationInput {
  readonly stack: GovernedStack;
  readonly subjects: StackSubjects;
  readonly templates: Iterable<CollectedTemplate>;
  readonly registry: RuleRegistry;
  readonly today: string;
  /** Day and approver registry the definitions' exceptions are judged by. */
  readonly judgement: ExceptionJudgement;
  /** Findings of external sources for the whole mesh. */
  readonly external: readonly MeshFinding[];
  /** Exceptions for the platform's own constructs. */
  readonly platform: PlatformExceptionSet;
}

function merge(previous: CheckStatus | undefined, next: CheckStatus): CheckStatus {
  if (previous === 'fail' || next === 'fail') return 'fail';
  if (previous === 'excepted' || next === 'excepted') return 'excepted';
  return 'pass';
}

/** A rule that throws has not verified anything: governance fails closed. */
function failedRule(rule: RuleMeta, err: unknown): Violation {
  return { message: `rule ${rule.id} failed: ${(err as Error).message}`, unresolved: true };
}

function safely<V extends Violation>(rule: RuleMeta, run: () => readonly V[]): readonly V[] {
  try {
    return run();
  } catch (err) {
    return [failedRule(rule, err) as V];
  }
}

export function evaluateStack(input: EvaluationInput): StackEvaluation {
  return new StackEvaluator(input).run();
}

class StackEvaluator {
  private readonly findings: AttachedFinding[] = [];
  private readonly checks: CheckRecord[] = [];
  private readonly rulesRun = new Set<string>();
  private readonly exceptionSets = new Map<Subject, ExceptionSet>();
  private readonly mesh: Mesh;
  private readonly names: DomainNames;

  constructor(private readonly input: EvaluationInput) {
    this.mesh = input.stack.mesh;
    this.names = domainNames(this.mesh.config, input.stack.domain.name);
  }

  run(): StackEvaluation {
    for (const template of this.input.templates) this.evaluateTemplate(template);
    this.evaluateDefinitions();
    this.evaluateExceptions();
    return {
      stackName: this.input.stack.stackName,
      findings: this.findings,
      checks: this.checks,
      rulesRun: this.rulesRun,
    };
  }

  /** Construct path within the governed stack, as platform exceptions name them. */
  private relativePath(construct: IConstruct): string {
    const prefix = `${this.input.stack.node.path}/`;
    return construct.node.path.startsWith(prefix) ? construct.node.path.slice(prefix.length) : construct.node.path;
  }

  private exceptionsOf(subject: Subject): ExceptionSet {
    let set = this.exceptionSets.get(subject);
    if (!set) {
      set = new ExceptionSet(subject, (id) => this.input.registry.get(id), this.input.judgement);
      this.exceptionSets.set(subject, set);
    }
    return set;
  }

  /** Turns a rule's violations on one subject into findings; returns the rule's status there. */
  private judge(
    rule: RuleMeta,
    violations: readonly Violation[],
    target: { subject: Subject; construct: IConstruct; resource?: ResolvedResource; file?: string },
  ): CheckStatus {
    this.rulesRun.add(rule.id);
    let status: CheckStatus = 'pass';
    for (const violation of violations) {
      const exception =
        this.exceptionsOf(target.subject).cover(rule.id, violation.finding) ??
        this.input.platform.cover(rule.id, violation.finding, this.relativePath(target.construct));
      status = merge(status, exception ? 'excepted' : 'fail');
      const finding: Finding = {
        ruleId: rule.id,
        finding: violation.finding,
        severity: violation.unresolved ? 'error' : (violation.severity ?? rule.severity),
        status: exception ? 'excepted' : 'fail',
        file: target.file ?? target.subject.file,
        path: target.construct.node.path,
        resource: target.resource ? { logicalId: target.resource.logicalId, type: target.resource.type } : undefined,
        message: violation.message,
        fix: violation.fix ?? rule.fix,
        exception,
      };
      this.findings.push({ ...finding, construct: target.construct, text: formatFinding(finding) });
    }
    return status;
  }

  private evaluateTemplate(template: CollectedTemplate): void {
    const { registry } = this.input;
    const view = new TemplateView(
      template.resources.map((r) => r.resolved),
      template.options,
    );
    const { domain } = this.input.stack;
    const constructs = new Map<string, CollectedResource>();
    for (const entry of template.resources) {
      const { resolved, construct, subject } = entry;
      constructs.set(resolved.logicalId, entry);
      const context: ResourceContext = {
        mesh: this.mesh,
        domain,
        names: this.names,
        product: subject.product,
        template: view,
      };
      const results: Record<string, CheckStatus> = {};
      for (const rule of registry.forType(resolved.type)) {
        if (rule.appliesTo && !rule.appliesTo(resolved, context)) continue;
        let violations: readonly Violation[];
        try {
          violations = rule.check(resolved, context);
        } catch (err) {
          violations = [failedRule(rule, err)];
        }
        // Most checks pass: only violations need the judge (exceptions, findings).
        results[rule.id] =
          violations.length === 0
            ? (results[rule.id] ?? 'pass')
            : merge(results[rule.id], this.judge(rule, violations, { subject, construct, resource: resolved }));
        this.rulesRun.add(rule.id);
      }
      this.checks.push({
        path: resolved.path,
        kind: 'resource',
        type: resolved.type,
        logicalId: resolved.logicalId,
        file: subject.file,
        results,
      });
    }

    const stackResults: Record<string, CheckStatus> = {};
    const stackContext = { mesh: this.mesh, domain, names: this.names };
    for (const rule of registry.stackRules) {
      const violations = safely(rule, () => rule.check(view, stackContext));
      let status: CheckStatus = 'pass';
      for (const violation of violations) {
        const owner = violation.logicalId ? constructs.get(violation.logicalId) : undefined;
        const target = owner
          ? { subject: owner.subject, construct: owner.construct, resource: owner.resolved }
          : { subject: this.input.subjects.domain, construct: template.stack };
        status = merge(status, this.judge(rule, [violation], target));
      }
      if (violations.length === 0) this.rulesRun.add(rule.id);
      stackResults[rule.id] = status;
    }
    this.checks.push({
      path: template.stack.node.path,
      kind: 'template',
      file: this.input.subjects.domain.file,
      results: stackResults,
    });
  }

  private evaluateDefinitions(): void {
    const { registry, subjects, stack, today } = this.input;
    const context = { mesh: this.mesh, today };
    const bySubject = new Map<Subject, Record<string, CheckStatus>>();
    const record = (subject: Subject, ruleId: string, status: CheckStatus) => {
      const results = bySubject.get(subject) ?? {};
      results[ruleId] = merge(results[ruleId], status);
      bySubject.set(subject, results);
    };
    const domainTarget = { subject: subjects.domain, construct: stack.dataDomain };
    for (const rule of registry.meshRules) {
      if (rule.checkDomain) {
        record(
          subjects.domain,
          rule.id,
          this.judge(
            rule,
            safely(rule, () => rule.checkDomain!(stack.domain, context)),
            domainTarget,
          ),
        );
      }
      if (!rule.checkProduct) continue;
      for (const { subject, construct } of subjects.products.values()) {
        const product = subject.product!;
        record(
          subject,
          rule.id,
          this.judge(
            rule,
            safely(rule, () => rule.checkProduct!(product, context)),
            { subject, construct },
          ),
        );
      }
    }
    for (const finding of this.input.external) {
      if (finding.domain !== stack.domain.name) continue;
      const rule = registry.get(finding.ruleId);
      if (!rule) continue;
      const productName = finding.productId?.split('/')[1];
      const target = (productName && subjects.products.get(productName)) || domainTarget;
      const violation: Violation = {
        finding: finding.finding,
        message: finding.message,
        fix: finding.fix,
        severity: finding.severity,
      };
      const status = this.judge(rule, [violation], { ...target, file: finding.file });
      record(target.subject, rule.id, status);
    }
    // A source reports only failures: its rules pass on every product it found nothing on.
    const externalRules = registry.rules.filter((r) => r.kind === 'external');
    for (const { subject } of subjects.products.values()) {
      for (const rule of externalRules) {
        record(subject, rule.id, 'pass');
        this.rulesRun.add(rule.id);
      }
    }
    for (const [subject, results] of bySubject) {
      const construct =
        subject.kind === 'domain' ? stack.dataDomain : subjects.products.get(subject.name.split('/')[1])!.construct;
      this.checks.push({ path: construct.node.path, kind: 'definition', file: subject.file, results });
    }
  }

  private evaluateExceptions(): void {
    const { subjects, stack } = this.input;
    const all = [{ subject: subjects.domain, construct: stack.dataDomain }, ...subjects.products.values()];
    for (const problem of this.input.platform.problems()) {
      this.judge(problem.rule, [{ finding: problem.finding, message: problem.message, fix: problem.fix }], {
        subject: subjects.domain,
        construct: stack.dataDomain,
        file: PLATFORM_EXCEPTIONS_FILE,
      });
    }
    for (const { subject, construct } of all) {
      const set = this.exceptionsOf(subject);
      for (const problem of set.problems()) {
        this.judge(problem.rule, [{ finding: problem.finding, message: problem.message, fix: problem.fix }], {
          subject,
          construct,
        });
      }
    }
  }
}
