/**
 * Evaluation of one governed stack once its resources are collected: resource rules by type, stack rules
 * per template, mesh rules per product and domain, external findings, then the exceptions. Produces the
 * findings to annotate and the rule × subject results for the report.
 *
 * It needs no construct tree: findings attach to anchors of any type, named by their construct path.
 * Synthesis anchors findings on constructs (they become annotations); the gate (lib/policies/gate), which
 * reads templates back from disk, on the paths alone.
 */
import type { Mesh, MeshDomain } from '../../mesh/model';
import { type DomainNames, domainNames } from '../../mesh/naming';
import { type ExceptionJudgement, ExceptionSet, type PlatformExceptionSet, type Subject } from '../exceptions';
import { type AttachedFinding, type Finding, formatFinding } from '../findings';
import type { ResourceContext, RuleMeta, Violation } from '../model';
import { PLATFORM_EXCEPTIONS_FILE } from '../platform-exceptions';
import type { RuleRegistry } from '../registry';
import type { MeshFinding } from '../sources/mesh-finding-source';
import type { ResolvedResource } from '../template/resolved-resource';
import { TemplateView, type TemplateViewOptions } from '../template/template-view';

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

export interface CollectedResource<A> {
  readonly resolved: ResolvedResource;
  /** Where its findings attach: its construct, or the stack for resources no construct of the walk made. */
  readonly anchor: A;
  readonly subject: Subject;
}

/** The template file evaluated, as the report records it so a later reader can tell it is unchanged. */
export interface TemplateSource {
  /** File name in the cloud assembly. */
  readonly file: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** The resources of one template (the domain stack, or one of its nested stacks). */
export interface CollectedTemplate<A> {
  /** The stack or nested stack writing the template; template-wide findings attach to it. */
  readonly anchor: A;
  readonly options: TemplateViewOptions;
  readonly resources: readonly CollectedResource<A>[];
  readonly source?: TemplateSource;
}

/** A subject and where its definition findings attach (the product's or domain's construct). */
export interface AnchoredSubject<A> {
  readonly subject: Subject;
  readonly anchor: A;
}

/** The stack under evaluation, as plain data. */
export interface EvaluatedStack<A> {
  readonly stackName: string;
  /** Construct path of the stack; platform exceptions name constructs relative to it. */
  readonly path: string;
  readonly mesh: Mesh;
  readonly domain: MeshDomain;
  /** The domain's subject, anchored on the construct holding its shared resources. */
  readonly domainSubject: AnchoredSubject<A>;
  /** Product subjects by product name. */
  readonly products: ReadonlyMap<string, AnchoredSubject<A>>;
}

export interface StackEvaluation<A> {
  readonly stackName: string;
  readonly findings: readonly AttachedFinding<A>[];
  readonly checks: readonly CheckRecord[];
  /** Rules that ran at least once on this stack. */
  readonly rulesRun: ReadonlySet<string>;
  /** The template files evaluated, with their construct paths. */
  readonly templates: readonly (TemplateSource & { readonly path: string })[];
}

export interface EvaluationInput<A> {
  readonly stack: EvaluatedStack<A>;
  readonly templates: Iterable<CollectedTemplate<A>>;
  /** Construct path of an anchor. */
  readonly pathOf: (anchor: A) => string;
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

export function evaluateStack<A>(input: EvaluationInput<A>): StackEvaluation<A> {
  return new StackEvaluator(input).run();
}

class StackEvaluator<A> {
  private readonly findings: AttachedFinding<A>[] = [];
  private readonly checks: CheckRecord[] = [];
  private readonly rulesRun = new Set<string>();
  private readonly templates: (TemplateSource & { path: string })[] = [];
  private readonly exceptionSets = new Map<Subject, ExceptionSet>();
  private readonly mesh: Mesh;
  private readonly names: DomainNames;

  constructor(private readonly input: EvaluationInput<A>) {
    this.mesh = input.stack.mesh;
    this.names = domainNames(this.mesh.config, input.stack.domain.name);
  }

  run(): StackEvaluation<A> {
    for (const template of this.input.templates) this.evaluateTemplate(template);
    this.evaluateDefinitions();
    this.evaluateExceptions();
    return {
      stackName: this.input.stack.stackName,
      findings: this.findings,
      checks: this.checks,
      rulesRun: this.rulesRun,
      templates: this.templates,
    };
  }

  /** Construct path within the governed stack, as platform exceptions name them. */
  private relativePath(anchor: A): string {
    const path = this.input.pathOf(anchor);
    const prefix = `${this.input.stack.path}/`;
    return path.startsWith(prefix) ? path.slice(prefix.length) : path;
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
    target: { subject: Subject; anchor: A; resource?: ResolvedResource; file?: string },
  ): CheckStatus {
    this.rulesRun.add(rule.id);
    let status: CheckStatus = 'pass';
    for (const violation of violations) {
      const exception =
        this.exceptionsOf(target.subject).cover(rule.id, violation.finding) ??
        this.input.platform.cover(rule.id, violation.finding, this.relativePath(target.anchor));
      status = merge(status, exception ? 'excepted' : 'fail');
      const finding: Finding = {
        ruleId: rule.id,
        finding: violation.finding,
        severity: violation.unresolved ? 'error' : (violation.severity ?? rule.severity),
        status: exception ? 'excepted' : 'fail',
        file: target.file ?? target.subject.file,
        path: this.input.pathOf(target.anchor),
        resource: target.resource ? { logicalId: target.resource.logicalId, type: target.resource.type } : undefined,
        message: violation.message,
        fix: violation.fix ?? rule.fix,
        exception,
      };
      this.findings.push({ ...finding, anchor: target.anchor, text: formatFinding(finding) });
    }
    return status;
  }

  private evaluateTemplate(template: CollectedTemplate<A>): void {
    const { registry } = this.input;
    const view = new TemplateView(
      template.resources.map((r) => r.resolved),
      template.options,
    );
    const { domain } = this.input.stack;
    const templatePath = this.input.pathOf(template.anchor);
    if (template.source) this.templates.push({ ...template.source, path: templatePath });
    const anchors = new Map<string, CollectedResource<A>>();
    for (const entry of template.resources) {
      const { resolved, anchor, subject } = entry;
      anchors.set(resolved.logicalId, entry);
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
            : merge(results[rule.id], this.judge(rule, violations, { subject, anchor, resource: resolved }));
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
        const owner = violation.logicalId ? anchors.get(violation.logicalId) : undefined;
        const target = owner
          ? { subject: owner.subject, anchor: owner.anchor, resource: owner.resolved }
          : { subject: this.input.stack.domainSubject.subject, anchor: template.anchor };
        status = merge(status, this.judge(rule, [violation], target));
      }
      if (violations.length === 0) this.rulesRun.add(rule.id);
      stackResults[rule.id] = status;
    }
    this.checks.push({
      path: templatePath,
      kind: 'template',
      file: this.input.stack.domainSubject.subject.file,
      results: stackResults,
    });
  }

  private evaluateDefinitions(): void {
    const { registry, stack, today } = this.input;
    const context = { mesh: this.mesh, today };
    const bySubject = new Map<Subject, { anchor: A; results: Record<string, CheckStatus> }>();
    const record = (target: AnchoredSubject<A>, ruleId: string, status: CheckStatus) => {
      let entry = bySubject.get(target.subject);
      if (!entry) {
        entry = { anchor: target.anchor, results: {} };
        bySubject.set(target.subject, entry);
      }
      entry.results[ruleId] = merge(entry.results[ruleId], status);
    };
    const domainTarget = stack.domainSubject;
    for (const rule of registry.meshRules) {
      if (rule.checkDomain) {
        record(
          domainTarget,
          rule.id,
          this.judge(
            rule,
            safely(rule, () => rule.checkDomain!(stack.domain, context)),
            domainTarget,
          ),
        );
      }
      if (!rule.checkProduct) continue;
      for (const target of stack.products.values()) {
        const product = target.subject.product!;
        record(
          target,
          rule.id,
          this.judge(
            rule,
            safely(rule, () => rule.checkProduct!(product, context)),
            target,
          ),
        );
      }
    }
    for (const finding of this.input.external) {
      if (finding.domain !== stack.domain.name) continue;
      const rule = registry.get(finding.ruleId);
      if (!rule) continue;
      const productName = finding.productId?.split('/')[1];
      const target = (productName && stack.products.get(productName)) || domainTarget;
      const violation: Violation = {
        finding: finding.finding,
        message: finding.message,
        fix: finding.fix,
        severity: finding.severity,
      };
      const status = this.judge(rule, [violation], { ...target, file: finding.file });
      record(target, rule.id, status);
    }
    // A source reports only failures: its rules pass on every product it found nothing on.
    const externalRules = registry.rules.filter((r) => r.kind === 'external');
    for (const target of stack.products.values()) {
      for (const rule of externalRules) {
        record(target, rule.id, 'pass');
        this.rulesRun.add(rule.id);
      }
    }
    for (const [subject, { anchor, results }] of bySubject) {
      this.checks.push({ path: this.input.pathOf(anchor), kind: 'definition', file: subject.file, results });
    }
  }

  private evaluateExceptions(): void {
    const { stack } = this.input;
    for (const problem of this.input.platform.problems()) {
      this.judge(problem.rule, [{ finding: problem.finding, message: problem.message, fix: problem.fix }], {
        ...stack.domainSubject,
        file: PLATFORM_EXCEPTIONS_FILE,
      });
    }
    for (const target of [stack.domainSubject, ...stack.products.values()]) {
      const set = this.exceptionsOf(target.subject);
      for (const problem of set.problems()) {
        this.judge(problem.rule, [{ finding: problem.finding, message: problem.message, fix: problem.fix }], target);
      }
    }
  }
}
