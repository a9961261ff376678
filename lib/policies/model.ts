/**
 * The shape of a governance rule and of what it reports. Three kinds of rules share one metadata shape:
 * resource rules (one CloudFormation resource, dispatched by type), stack rules (one template, after the
 * walk: quotas) and mesh rules (the definitions: one product or domain).
 */
import type { Mesh, MeshDomain, MeshProduct } from '../mesh/model';
import type { DomainNames } from '../mesh/naming';
import type { ResolvedResource } from './template/resolved-resource';
import type { TemplateView } from './template/template-view';

/** `error` blocks synthesis of the stack; `warning` informs. */
export type Severity = 'error' | 'warning';

/** What every rule declares: it is listed by `npx mesh policies` and documented in docs/policies.md. */
export interface RuleMeta {
  /** Stable id, `MESH-<AREA>-<NNN>`; exceptions and reports name it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Why the rule exists, for reviewers and auditors. */
  readonly explanation: string;
  /** Generic remedy; a violation may carry a more specific one. */
  readonly fix: string;
  /**
   * Whether a definition may carry an exception to the rule. Rules that keep data from being lost or exposed
   * (encryption, public access, TLS, ACLs, retention and versioning, administrator and wildcard access,
   * open-ended policy statements, data outside the domain's buckets, personal data) are never exceptable:
   * excepting them is itself an error (MESH-EXC-004).
   * @default true
   */
  readonly exceptable?: boolean;
}

/** One violated requirement, as a rule reports it. */
export interface Violation {
  /** Narrows the violation to one element, e.g. `Action::s3:*`; exceptions may name it. */
  readonly finding?: string;
  /** What is wrong, naming the element; no trailing fix. */
  readonly message: string;
  /** Specific remedy; the rule's `fix` when absent. */
  readonly fix?: string;
  /** A severity other than the rule's, e.g. a warning for the margin before a quota. */
  readonly severity?: Severity;
  /**
   * The rule met a value only known at deploy time and could not verify it. Such violations are always
   * errors: governance fails closed.
   */
  readonly unresolved?: boolean;
}

/** Where a resource sits in the mesh, for rules that compare it with the definitions. */
export interface ResourceContext {
  readonly mesh: Mesh;
  /** The domain whose stack holds the resource. */
  readonly domain: MeshDomain;
  readonly names: DomainNames;
  /** The product whose construct holds the resource, if any. */
  readonly product?: MeshProduct;
  /** Every resource of the same template, resolved, with helpers to follow references. */
  readonly template: TemplateView;
}

/** A rule over one CloudFormation resource; the engine calls it only for the types it names. */
export interface ResourceRule extends RuleMeta {
  readonly kind: 'resource';
  /** CloudFormation types the rule inspects, or `any` for every resource. */
  readonly resourceTypes: readonly string[] | 'any';
  /** Narrows `any` rules (e.g. only taggable resources); the resource counts as not checked when false. */
  appliesTo?(resource: ResolvedResource, context: ResourceContext): boolean;
  check(resource: ResolvedResource, context: ResourceContext): readonly Violation[];
}

/** A violation of a stack rule, attached to one resource of the template or to the template as a whole. */
export interface StackViolation extends Violation {
  /** Logical ID of the resource concerned; the stack itself when absent. */
  readonly logicalId?: string;
}

/** A rule over a whole template (quotas); runs once per template after the walk. */
export interface StackRule extends RuleMeta {
  readonly kind: 'stack';
  check(template: TemplateView, context: Omit<ResourceContext, 'product' | 'template'>): readonly StackViolation[];
}

/** What mesh rules see besides the product or domain they check. */
export interface MeshContext {
  readonly mesh: Mesh;
  /** Calendar day (YYYY-MM-DD, UTC) the checks are made on. */
  readonly today: string;
}

/** A rule over the definitions; findings attach to the product's (or domain's) construct. */
export interface MeshRule extends RuleMeta {
  readonly kind: 'mesh';
  checkProduct?(product: MeshProduct, context: MeshContext): readonly Violation[];
  checkDomain?(domain: MeshDomain, context: MeshContext): readonly Violation[];
}

/** Findings produced by the engine itself (exception bookkeeping); listed and documented like the rest. */
export interface EngineRule extends RuleMeta {
  readonly kind: 'engine';
}

/**
 * Rules another module checks on its own and hands to the engine as findings (e.g. contract rules):
 * listed and documented here, attached and excepted like any mesh rule.
 */
export interface ExternalRule extends RuleMeta {
  readonly kind: 'external';
}

export type Rule = ResourceRule | StackRule | MeshRule | EngineRule | ExternalRule;

/** Whether a rule may be excepted. */
export function isExceptable(rule: RuleMeta): boolean {
  return rule.exceptable !== false;
}
