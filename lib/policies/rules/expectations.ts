/**
 * What rules compare resources with: the names the definitions imply for this template's account and
 * region, the domain key, and the one violation shape every rule uses when a value is only known at deploy
 * time (governance fails closed).
 */
import { renderName } from '../../mesh/naming';
import type { ResourceContext, Violation } from '../model';
import type { Json } from '../template/resolved-resource';
import { keyPlaceholder, PLACEHOLDERS, type TemplateView } from '../template/template-view';

/** Physical names of the domain's resources as they must appear in this template. */
export interface ExpectedNames {
  readonly dataBucket: string;
  readonly resultsBucket: string;
  readonly logsBucket: string;
  readonly database: string;
  readonly workgroup: string;
  /** Start every physical name of the domain shares, e.g. `acme-sales-`. */
  readonly kebabPrefix: string;
  /** Start every Glue name of the domain shares, e.g. `acme_sales`. */
  readonly gluePrefix: string;
}

const cache = new WeakMap<TemplateView, ExpectedNames>();

/** Computed once per template: every resource of a template shares its account and region. */
export function expectedNames(context: Pick<ResourceContext, 'names' | 'template' | 'mesh' | 'domain'>): ExpectedNames {
  let expected = cache.get(context.template);
  if (!expected) {
    expected = computeExpectedNames(context);
    cache.set(context.template, expected);
  }
  return expected;
}

function computeExpectedNames(context: Pick<ResourceContext, 'names' | 'template' | 'mesh' | 'domain'>): ExpectedNames {
  const { names, template } = context;
  const fill = (name: string) => renderName(name, template.env);
  return {
    dataBucket: fill(names.dataBucket),
    resultsBucket: fill(names.resultsBucket),
    logsBucket: fill(names.logsBucket),
    database: names.database,
    workgroup: names.workgroup,
    kebabPrefix: `${context.mesh.config.prefix}-${context.domain.name.replace(/_/g, '-')}-`,
    gluePrefix: names.database,
  };
}

/**
 * Whether a rendered key reference is the domain's key: the key its alias points at in this template, or
 * the alias itself (by name or ARN).
 */
export function isDomainKey(rendered: string, context: Pick<ResourceContext, 'names' | 'template'>): boolean {
  const alias = context.names.keyAlias;
  if (rendered === alias || rendered.endsWith(`:${alias}`)) return true;
  for (const id of context.template.keysAliasedAs(alias)) {
    if (rendered === keyPlaceholder(id)) return true;
  }
  return false;
}

/** Short text of a value for messages. */
export function describeValue(value: Json | undefined, template: TemplateView): string {
  const text = template.describe(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The violation of a rule that met a value it cannot know before deployment. */
export function cannotVerify(
  what: string,
  value: Json | undefined,
  template: TemplateView,
  finding?: string,
): Violation {
  return {
    finding,
    message: `cannot verify ${what}: ${describeValue(value, template)} is only known at deploy time`,
    fix: `give ${what} a value known at synth time (a literal, or a reference to a resource of this stack)`,
    unresolved: true,
  };
}

/** Longest text a rendered name can take once deployed (account 12 characters, region 16). */
export function worstCaseLength(rendered: string): number {
  return rendered
    .split(PLACEHOLDERS.account)
    .join('x'.repeat(12))
    .split(PLACEHOLDERS.region)
    .join('x'.repeat(16))
    .split(PLACEHOLDERS.partition)
    .join('x'.repeat(10)).length;
}
