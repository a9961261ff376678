/**
 * One template's resolved resources, with what rules need to follow references between them: render a
 * value to text (deploy-time parts as placeholders), find a bucket's policies, tell the access-log bucket.
 */
import { ACCOUNT_PLACEHOLDER, REGION_PLACEHOLDER } from '../../mesh/naming';
import { DependencyGraph } from './dependency-graph';
import { get, isObject, type Json, type ResolvedResource } from './resolved-resource';

/** Placeholders for pseudo parameters in rendered text; account and region match the naming templates. */
export const PLACEHOLDERS = {
  account: ACCOUNT_PLACEHOLDER,
  region: REGION_PLACEHOLDER,
  partition: '{partition}',
  urlSuffix: '{urlSuffix}',
} as const;

/** How a KMS key defined in the template renders: it has no name, only its logical ID. */
export function keyPlaceholder(logicalId: string): string {
  return `{key:${logicalId}}`;
}

/** Account and region of the template's stack: literals when the stack pins an environment, else placeholders. */
export interface TemplateEnv {
  readonly account: string;
  readonly region: string;
}

export interface TemplateViewOptions {
  /** Construct path of the stack (or nested stack) that writes the template. */
  readonly stackPath: string;
  readonly env: TemplateEnv;
  /** Whether the template is written indented. @default false */
  readonly indented?: boolean;
  /** Size of the written template. @default unknown */
  readonly templateBytes?: number;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': PLACEHOLDERS.account,
  'AWS::Region': PLACEHOLDERS.region,
  'AWS::Partition': PLACEHOLDERS.partition,
  'AWS::URLSuffix': PLACEHOLDERS.urlSuffix,
};

export class TemplateView {
  readonly resources: ReadonlyMap<string, ResolvedResource>;
  private readonly byType = new Map<string, ResolvedResource[]>();
  private logTargets?: Set<string>;
  private dependencyGraph?: DependencyGraph;
  private policiesByBucket?: Map<string, ResolvedResource[]>;

  /** Construct path of the stack (or nested stack) that writes the template. */
  readonly stackPath: string;
  readonly env: TemplateEnv;
  /** Whether the template is written indented (about twice the size). */
  readonly indented: boolean;
  /** Size of the written template, when it has been written. */
  readonly templateBytes?: number;

  constructor(resources: readonly ResolvedResource[], options: TemplateViewOptions) {
    this.stackPath = options.stackPath;
    this.env = options.env;
    this.indented = options.indented ?? false;
    this.templateBytes = options.templateBytes;
    this.resources = new Map(resources.map((r) => [r.logicalId, r]));
    for (const resource of resources) {
      const list = this.byType.get(resource.type);
      if (list) list.push(resource);
      else this.byType.set(resource.type, [resource]);
    }
  }

  ofType(type: string): readonly ResolvedResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Logical ID a `{ Ref }` or `{ "Fn::GetAtt" }` points at, when it points into this template. */
  referencedId(value: Json | undefined): string | undefined {
    if (!isObject(value)) return undefined;
    const ref = value.Ref;
    if (typeof ref === 'string' && this.resources.has(ref)) return ref;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && this.resources.has(getAtt[0])) return getAtt[0];
    if (typeof getAtt === 'string') {
      const id = getAtt.split('.')[0];
      if (this.resources.has(id)) return id;
    }
    return undefined;
  }

  /**
   * The value as text: pseudo parameters become placeholders, references to resources of this template
   * become their names or ARNs where the template states them. `undefined` when any part is only known at
   * deploy time (a parameter, an import, a generated name): the caller fails closed.
   */
  render(value: Json | undefined): string | undefined {
    return this.text(value, 0, false);
  }

  /** The value as text for messages: like `render`, but what cannot be known shows as `<LogicalId.Attribute>`. */
  describe(value: Json | undefined): string {
    return this.text(value, 0, true) ?? JSON.stringify(value ?? null);
  }

  private text(value: Json | undefined, depth: number, symbolic: boolean): string | undefined {
    if (depth > 8 || value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (!isObject(value)) return undefined;
    const keys = Object.keys(value);
    if (keys.length !== 1) return undefined;
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') return undefined;
        return this.renderRef(arg, depth + 1, symbolic) ?? (symbolic ? `<${arg}>` : undefined);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
        if (typeof id !== 'string' || typeof attribute !== 'string') return undefined;
        return (
          this.renderAttribute(id, attribute, depth + 1, symbolic) ?? (symbolic ? `<${id}.${attribute}>` : undefined)
        );
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
        let out = '';
        for (let i = 0; i < arg[1].length; i++) {
          const part = this.text(arg[1][i], depth + 1, symbolic);
          if (part === undefined) return undefined;
          out += i === 0 ? part : arg[0] + part;
        }
        return out;
      }
      case 'Fn::Sub':
        return this.renderSub(arg, depth + 1, symbolic);
      default:
        return undefined;
    }
  }

  private renderRef(target: string, depth: number, symbolic: boolean): string | undefined {
    if (PSEUDO[target]) return PSEUDO[target];
    const resource = this.resources.get(target);
    if (!resource) return undefined;
    const p = resource.properties;
    const next = (v: Json | undefined) => this.text(v, depth, symbolic);
    switch (resource.type) {
      case 'AWS::S3::Bucket':
        return next(p.BucketName);
      case 'AWS::IAM::Role':
        return next(p.RoleName);
      case 'AWS::KMS::Key':
        return keyPlaceholder(target);
      case 'AWS::Glue::Database':
        return next(get(p, 'DatabaseInput', 'Name'));
      case 'AWS::Athena::WorkGroup':
        return next(p.Name);
      default:
        return undefined;
    }
  }

  private renderAttribute(target: string, attribute: string, depth: number, symbolic: boolean): string | undefined {
    const resource = this.resources.get(target);
    if (!resource || attribute !== 'Arn') return undefined;
    const next = (v: Json | undefined) => this.text(v, depth, symbolic);
    switch (resource.type) {
      case 'AWS::S3::Bucket': {
        const name = next(resource.properties.BucketName);
        return name === undefined ? undefined : `arn:${PLACEHOLDERS.partition}:s3:::${name}`;
      }
      case 'AWS::IAM::Role': {
        const name = next(resource.properties.RoleName);
        return name === undefined ? undefined : `arn:${PLACEHOLDERS.partition}:iam::${this.env.account}:role/${name}`;
      }
      case 'AWS::KMS::Key':
        return keyPlaceholder(target);
      default:
        return undefined;
    }
  }

  private renderSub(arg: Json, depth: number, symbolic: boolean): string | undefined {
    const [text, variables]: Json[] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : [];
    if (typeof text !== 'string' || !isObject(variables)) return undefined;
    let unresolved = false;
    const out = text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      const [id, attribute] = name.split('.');
      const rendered =
        name in variables
          ? this.text(variables[name], depth, symbolic)
          : attribute
            ? this.renderAttribute(id, attribute, depth, symbolic)
            : this.renderRef(name, depth, symbolic);
      if (rendered === undefined && !symbolic) unresolved = true;
      return rendered ?? `<${name}>`;
    });
    return unresolved ? undefined : out;
  }

  /** Rendered name of a bucket of this template. */
  bucketName(logicalId: string): string | undefined {
    const bucket = this.resources.get(logicalId);
    return bucket ? this.render(bucket.properties.BucketName) : undefined;
  }

  /** Bucket policies that apply to a bucket of this template (by reference or by its literal name). */
  policiesOf(bucketId: string): readonly ResolvedResource[] {
    if (!this.policiesByBucket) {
      this.policiesByBucket = new Map();
      for (const policy of this.ofType('AWS::S3::BucketPolicy')) {
        const target = this.referencedId(policy.properties.Bucket) ?? this.bucketIdByName(policy.properties.Bucket);
        if (!target) continue;
        this.policiesByBucket.set(target, [...(this.policiesByBucket.get(target) ?? []), policy]);
      }
    }
    return this.policiesByBucket.get(bucketId) ?? [];
  }

  private bucketIdByName(value: Json | undefined): string | undefined {
    const name = this.render(value);
    if (name === undefined) return undefined;
    return this.ofType('AWS::S3::Bucket').find((b) => this.render(b.properties.BucketName) === name)?.logicalId;
  }

  /**
   * Whether another bucket of this template delivers its server access logs to this one. S3 cannot deliver
   * access logs to an SSE-KMS bucket, so such a bucket is the one case encrypted with S3-managed keys.
   */
  isAccessLogTarget(bucketId: string): boolean {
    if (!this.logTargets) {
      this.logTargets = new Set();
      for (const bucket of this.ofType('AWS::S3::Bucket')) {
        const destination = get(bucket.properties, 'LoggingConfiguration', 'DestinationBucketName');
        const target = this.referencedId(destination) ?? this.bucketIdByName(destination);
        if (target && target !== bucket.logicalId) this.logTargets.add(target);
      }
    }
    return this.logTargets.has(bucketId);
  }

  /**
   * Whether CloudFormation creates `to` before `from`: `from` depends on it through DependsOn or a
   * reference, directly or through other resources of the template.
   */
  dependsOn(from: string, to: string): boolean {
    this.dependencyGraph ??= new DependencyGraph(this);
    return this.dependencyGraph.dependsOn(from, to);
  }

  /** Logical IDs of the KMS keys an alias with this name points at. */
  keysAliasedAs(aliasName: string): ReadonlySet<string> {
    const ids = new Set<string>();
    for (const alias of this.ofType('AWS::KMS::Alias')) {
      if (this.render(alias.properties.AliasName) !== aliasName) continue;
      const target = this.referencedId(alias.properties.TargetKeyId);
      if (target) ids.add(target);
    }
    return ids;
  }
}
