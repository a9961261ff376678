/**
 * Compares a domain's synthesized templates (the stack and its nested stacks) before and after a change,
 * resource by resource, and says which changes replace or delete a resource that holds data.
 *
 * A resource is identified by its template and logical ID. Same ID on both sides: modified, or replaced when
 * its type or a replacement property (lib/stack-diff/replacement.ts) changes. An ID that disappears while a new
 * one of the same type appears (a renamed construct, a product moved into a nested stack) is a replacement as
 * well: CloudFormation creates the new resource and deletes the old one.
 */
import { isDeepStrictEqual } from 'node:util';
import { isStateful, physicalName, replacementPaths, STATEFUL_TYPES, valueAt } from './replacement';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

export interface Template {
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
}

/** A domain's templates by name: the stack's name, and `<stack>/<logical ID>` for each nested stack. */
export type TemplateSet = ReadonlyMap<string, Template>;

export type ChangeKind = 'add' | 'modify' | 'replace' | 'delete';

export interface PropertyChange {
  /** Dot-separated path: a top-level property, or a replacement path below one. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** This change alone replaces the resource. */
  readonly replaces: boolean;
}

export interface ResourceRef {
  /** Template name (see TemplateSet). */
  readonly template: string;
  readonly logicalId: string;
}

export interface ResourceChange extends ResourceRef {
  readonly kind: ChangeKind;
  readonly type: string;
  /** Holds data (lib/stack-diff/replacement.ts): a replacement or deletion loses or orphans it. */
  readonly stateful: boolean;
  /** Changed properties, for modifications and in-place replacements. */
  readonly properties: readonly PropertyChange[];
  /** For a replacement by a new logical ID: the new resource. */
  readonly replacement?: ResourceRef;
  /** Why a replacement happens, in words. */
  readonly reason?: string;
  /** DeletionPolicy Retain of the old resource: deleted from the stack but kept (orphaned) in the account. */
  readonly retained: boolean;
}

export interface StackDiff {
  readonly changes: readonly ResourceChange[];
  /** Replacements and deletions of stateful resources: what blocks a deploy without a plan. */
  readonly destructive: readonly ResourceChange[];
}

/** Resource types whose changes say nothing (CDK bookkeeping) or are compared elsewhere (nested templates). */
const IGNORED_TYPES = new Set(['AWS::CDK::Metadata']);
/** Properties of nested stack resources that change whenever the nested template does. */
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
const NESTED_STACK_NOISE = new Set(['TemplateURL']);

interface Located {
  readonly ref: ResourceRef;
  readonly resource: TemplateResource;
}

function flatten(templates: TemplateSet): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const [template, body] of templates) {
    for (const [logicalId, resource] of Object.entries(body.Resources ?? {})) {
      if (IGNORED_TYPES.has(resource.Type)) continue;
      out.set(`${template}\u0000${logicalId}`, { ref: { template, logicalId }, resource });
    }
  }
  return out;
}

export function compareTemplates(before: TemplateSet, after: TemplateSet): StackDiff {
  const old = flatten(before);
  const current = flatten(after);
  const changes: ResourceChange[] = [];

  for (const [key, was] of old) {
    const now = current.get(key);
    if (!now) continue;
    const change = compareResource(was, now);
    if (change) changes.push(change);
  }

  const removed = [...old].filter(([key]) => !current.has(key)).map(([, located]) => located);
  const added = [...current].filter(([key]) => !old.has(key)).map(([, located]) => located);
  const unpaired = new Set(added);
  for (const was of removed) {
    const successor = pairOf(was, [...unpaired]);
    if (successor) unpaired.delete(successor);
    changes.push({
      ...was.ref,
      kind: successor ? 'replace' : 'delete',
      type: was.resource.Type,
      stateful: isStateful(was.resource.Type),
      properties: [],
      ...(successor
        ? {
            replacement: successor.ref,
            reason: `its logical ID becomes ${successor.ref.template === was.ref.template ? '' : `${successor.ref.template}/`}${successor.ref.logicalId}: ${
              sameName(was, successor)
                ? 'CloudFormation creates the new resource before deleting this one, and the name is still taken: the deploy fails'
                : 'CloudFormation creates the new resource and deletes this one'
            }`,
          }
        : {}),
      retained: was.resource.DeletionPolicy === 'Retain' || was.resource.DeletionPolicy === 'RetainExceptOnCreate',
    });
  }
  for (const now of unpaired) {
    changes.push({
      ...now.ref,
      kind: 'add',
      type: now.resource.Type,
      stateful: isStateful(now.resource.Type),
      properties: [],
      retained: false,
    });
  }
  changes.sort(byPlace);
  return {
    changes,
    destructive: changes.filter((c) => c.stateful && (c.kind === 'replace' || c.kind === 'delete')),
  };
}

function compareResource(was: Located, now: Located): ResourceChange | undefined {
  const type = now.resource.Type;
  const retained = was.resource.DeletionPolicy === 'Retain' || was.resource.DeletionPolicy === 'RetainExceptOnCreate';
  const base = { ...was.ref, type, stateful: isStateful(was.resource.Type) || isStateful(type), retained };
  if (was.resource.Type !== type) {
    return { ...base, kind: 'replace', properties: [], reason: `its type changes from ${was.resource.Type}` };
  }
  const properties = propertyChanges(type, was.resource, now.resource);
  const replacing = properties.filter((p) => p.replaces);
  if (replacing.length > 0) {
    return {
      ...base,
      kind: 'replace',
      properties,
      reason: `${replacing.map((p) => p.path).join(', ')} cannot change in place`,
    };
  }
  return properties.length > 0 ? { ...base, kind: 'modify', properties } : undefined;
}

/** Changed top-level properties and resource attributes; replacement paths below the top level on their own. */
function propertyChanges(type: string, was: TemplateResource, now: TemplateResource): PropertyChange[] {
  const changes: PropertyChange[] = [];
  const replacing = replacementPaths(type);
  const nested = replacing.filter((p) => p.includes('.'));
  const oldProps = was.Properties ?? {};
  const newProps = now.Properties ?? {};
  for (const key of [...new Set([...Object.keys(oldProps), ...Object.keys(newProps)])].sort()) {
    if (type === NESTED_STACK_TYPE && NESTED_STACK_NOISE.has(key)) continue;
    if (isDeepStrictEqual(oldProps[key], newProps[key])) continue;
    const nestedHere = nested.filter((p) => p.startsWith(`${key}.`));
    const changedNested = nestedHere.filter((p) => !isDeepStrictEqual(valueAt(oldProps, p), valueAt(newProps, p)));
    for (const path of changedNested) {
      changes.push({ path, before: valueAt(oldProps, path), after: valueAt(newProps, path), replaces: true });
    }
    changes.push({ path: key, before: oldProps[key], after: newProps[key], replaces: replacing.includes(key) });
  }
  for (const attribute of ['DeletionPolicy', 'UpdateReplacePolicy', 'DependsOn', 'Condition'] as const) {
    if (!isDeepStrictEqual(was[attribute], now[attribute])) {
      changes.push({ path: attribute, before: was[attribute], after: now[attribute], replaces: false });
    }
  }
  return changes;
}

/**
 * The added resource that takes over from a removed one: same type, preferring one with the same physical
 * name, then the same template, then the first.
 */
function pairOf(was: Located, candidates: readonly Located[]): Located | undefined {
  const sameType = candidates.filter((c) => c.resource.Type === was.resource.Type);
  return (
    sameType.find((c) => sameName(was, c)) ?? sameType.find((c) => c.ref.template === was.ref.template) ?? sameType[0]
  );
}

/** Both resources set the same physical name. */
function sameName(was: Located, now: Located): boolean {
  const name = physicalName(was.resource.Type, was.resource.Properties);
  return name !== undefined && isDeepStrictEqual(name, physicalName(now.resource.Type, now.resource.Properties));
}

/**
 * Where two property values differ, down to the leaves (`Statement[2].Condition.StringEquals.aws:SourceVpce`),
 * so a long policy document's change reads as the lines that changed.
 */
export function leafDifferences(before: unknown, after: unknown, path = ''): PropertyChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  const bothObjects =
    !bothArrays &&
    typeof before === 'object' &&
    before !== null &&
    !Array.isArray(before) &&
    typeof after === 'object' &&
    after !== null &&
    !Array.isArray(after);
  if (bothArrays) {
    const out: PropertyChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      out.push(...leafDifferences(before[i], after[i], `${path}[${i}]`));
    }
    return out;
  }
  if (bothObjects) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .sort()
      .flatMap((key) => leafDifferences(a[key], b[key], path ? `${path}.${key}` : key));
  }
  return [{ path, before, after, replaces: false }];
}

function byPlace(a: ResourceChange, b: ResourceChange): number {
  return a.template === b.template ? a.logicalId.localeCompare(b.logicalId) : a.template.localeCompare(b.template);
}

/** One line per change, e.g. `replace  AWS::S3::Bucket  Mesh-Sales/DomainDataCFE7249C: BucketName cannot …`. */
export function describeChange(change: ResourceChange): string {
  const where = `${change.template}/${change.logicalId}`;
  const holds = STATEFUL_TYPES[change.type]?.holds;
  const kept = change.retained ? ' (DeletionPolicy Retain: the old one stays in the account, outside the stack)' : '';
  switch (change.kind) {
    case 'add':
      return `added     ${change.type} ${where}`;
    case 'modify':
      return `modified  ${change.type} ${where}: ${change.properties.map((p) => p.path).join(', ')}`;
    case 'replace':
      return `${change.stateful ? 'REPLACED' : 'replaced'}  ${change.type} ${where}: ${change.reason ?? 'replaced'}${holds ? `; it holds ${holds}` : ''}${kept}`;
    case 'delete':
      return `${change.stateful ? 'DELETED ' : 'deleted '}  ${change.type} ${where}${holds ? `: it holds ${holds}` : ''}${kept}`;
  }
}
