/**
 * Reads synthesized CloudFormation templates the way CloudFormation would deploy them into a concrete
 * account and region: intrinsic functions are resolved (pseudo parameters, Ref and Fn::GetAtt of the
 * template's own resources, Fn::Join, Fn::Sub, Fn::Select, Fn::Split), then the access policies are
 * collected — every role's identity policies, bucket policies, key policies and key aliases.
 * A reference this cannot resolve inside its own template (Fn::ImportValue, another stack's resource) is
 * an error: domain stacks must deploy on their own.
 */
import { createHash } from 'node:crypto';
import { partitionOf } from '../env';
import type { PolicyDocumentJson } from '../policy-json';
import type { ConcreteEnv } from './matrix';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/** One synthesized template and where it is assumed deployed. */
export interface StackTemplate {
  /** Stack name, or the nested stack's template file. */
  readonly name: string;
  readonly template: CfnTemplate;
  readonly env: ConcreteEnv;
}

export class TemplateResolutionError extends Error {
  override name = 'TemplateResolutionError';
}

/** Resolves every intrinsic function of a template. */
export function resolveTemplate(stack: StackTemplate): Record<string, CfnResource> {
  const resources = stack.template.Resources ?? {};
  const { partition, urlSuffix } = partitionOf(stack.env.region);
  const pseudo: Record<string, string> = {
    'AWS::AccountId': stack.env.account,
    'AWS::Region': stack.env.region,
    'AWS::Partition': partition,
    'AWS::URLSuffix': urlSuffix,
    'AWS::StackName': stack.name,
    'AWS::NoValue': '',
  };
  const resolving = new Set<string>();

  const fail = (message: string): never => {
    throw new TemplateResolutionError(`${stack.name}: ${message}`);
  };
  const resource = (logicalId: string): CfnResource =>
    resources[logicalId] ?? fail(`reference to "${logicalId}", which is not a resource of this template`);
  const property = (logicalId: string, name: string): string | undefined => {
    const value = resource(logicalId).Properties?.[name];
    if (value === undefined) return undefined;
    if (resolving.has(logicalId)) fail(`circular reference through ${logicalId}`);
    resolving.add(logicalId);
    try {
      return String(resolve(value));
    } finally {
      resolving.delete(logicalId);
    }
  };
  const keyId = (logicalId: string) => assumedKeyId(stack.name, logicalId);
  const ref = (name: string): string => {
    if (name in pseudo) return pseudo[name];
    const parameter = stack.template.Parameters?.[name];
    if (parameter)
      return parameter.Default === undefined ? fail(`parameter ${name} has no default`) : String(parameter.Default);
    const { Type } = resource(name);
    switch (Type) {
      case 'AWS::S3::Bucket':
        return property(name, 'BucketName') ?? name.toLowerCase();
      case 'AWS::IAM::Role':
        return property(name, 'RoleName') ?? name;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${stack.env.account}:policy/${property(name, 'ManagedPolicyName') ?? name}`;
      case 'AWS::KMS::Key':
        return keyId(name);
      default:
        return name;
    }
  };
  const getAtt = (logicalId: string, attribute: string): string => {
    const { Type } = resource(logicalId);
    if (attribute === 'Arn') {
      if (Type === 'AWS::S3::Bucket') return `arn:${partition}:s3:::${ref(logicalId)}`;
      if (Type === 'AWS::IAM::Role') return `arn:${partition}:iam::${stack.env.account}:role/${ref(logicalId)}`;
      if (Type === 'AWS::KMS::Key') {
        return `arn:${partition}:kms:${stack.env.region}:${stack.env.account}:key/${keyId(logicalId)}`;
      }
    }
    return `${logicalId}.${attribute}`;
  };
  const sub = (text: string, variables: Record<string, unknown>): string =>
    text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (name in variables) return String(resolve(variables[name]));
      const [logicalId, attribute] = name.split('.');
      return attribute ? getAtt(logicalId, attribute) : ref(name);
    });

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, args] = entries[0] as [string, unknown];
      switch (fn) {
        case 'Ref':
          return ref(args as string);
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = typeof args === 'string' ? args.split('.') : (args as string[]);
          return getAtt(logicalId, attribute);
        }
        case 'Fn::Join': {
          const [separator, list] = args as [string, unknown[]];
          return (resolve(list) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub':
          return typeof args === 'string'
            ? sub(args, {})
            : sub((args as [string, Record<string, unknown>])[0], (args as [string, Record<string, unknown>])[1]);
        case 'Fn::Select': {
          const [index, list] = args as [unknown, unknown];
          return (resolve(list) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, text] = args as [string, unknown];
          return String(resolve(text)).split(separator);
        }
        case 'Fn::ImportValue':
          return fail(`Fn::ImportValue ${JSON.stringify(args)}: domain stacks must not import values`);
        default:
          if (fn.startsWith('Fn::')) return fail(`unsupported intrinsic ${fn}`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  }

  return Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [
      id,
      { ...r, Properties: resolve(r.Properties ?? {}) as Record<string, unknown> },
    ]),
  );
}

/** The identity policies of one role, by policy name. */
export interface RolePolicies {
  readonly arn: string;
  readonly name: string;
  readonly inline: { name: string; document: PolicyDocumentJson }[];
  readonly managed: { name: string; document: PolicyDocumentJson }[];
}

export interface DeployedKey {
  readonly arn: string;
  readonly policy: PolicyDocumentJson;
  /** Alias names (`alias/...`) pointing at the key. */
  readonly aliases: string[];
}

/** Every access policy of a set of deployed templates. */
export interface AccessPolicies {
  /** By role ARN. */
  readonly roles: Map<string, RolePolicies>;
  /** By bucket name. */
  readonly bucketPolicies: Map<string, PolicyDocumentJson>;
  /** By alias ARN, e.g. `arn:aws:kms:eu-west-1:111111111111:alias/acme/sales`. */
  readonly keysByAlias: Map<string, DeployedKey>;
  /**
   * Glue Data Catalog resource policies by catalog ARN (`arn:aws:glue:eu-west-1:111111111111:catalog`): the
   * statements every stack of that account and region merges in, merged exactly as the handler does.
   */
  readonly catalogPolicies: Map<string, PolicyDocumentJson>;
}

/** The catalog policy handler's merge, so verification sees the document the handler would write. */
const catalogHandler = require('../catalog-policy-handler/index.js') as {
  mergePolicy(current: string | null | undefined, owner: string, statements: unknown[]): string | null;
};

export function extractAccessPolicies(stacks: readonly StackTemplate[]): AccessPolicies {
  const roles = new Map<string, RolePolicies>();
  const bucketPolicies = new Map<string, PolicyDocumentJson>();
  const keysByAlias = new Map<string, DeployedKey>();
  const catalogJson = new Map<string, string | null>();

  for (const stack of stacks) {
    const resources = resolveTemplate(stack);
    const { partition } = partitionOf(stack.env.region);
    const roleArn = (name: string) => `arn:${partition}:iam::${stack.env.account}:role/${name}`;
    const roleByName = (name: string): RolePolicies => {
      const arn = roleArn(name);
      const found = roles.get(arn) ?? { arn, name, inline: [], managed: [] };
      roles.set(arn, found);
      return found;
    };
    const managedByArn = new Map<string, { name: string; document: PolicyDocumentJson }>();
    const keys = new Map<string, DeployedKey>();

    for (const [id, { Type, Properties: p = {} }] of Object.entries(resources)) {
      if (Type === 'AWS::IAM::Role') {
        const role = roleByName(p.RoleName as string);
        for (const inline of (p.Policies as { PolicyName: string; PolicyDocument: PolicyDocumentJson }[]) ?? []) {
          role.inline.push({ name: inline.PolicyName, document: inline.PolicyDocument });
        }
      } else if (Type === 'AWS::IAM::Policy') {
        for (const name of (p.Roles as string[]) ?? []) {
          roleByName(name).inline.push({
            name: p.PolicyName as string,
            document: p.PolicyDocument as PolicyDocumentJson,
          });
        }
      } else if (Type === 'AWS::IAM::ManagedPolicy') {
        const policy = {
          name: (p.ManagedPolicyName as string) ?? id,
          document: p.PolicyDocument as PolicyDocumentJson,
        };
        managedByArn.set(`arn:${partition}:iam::${stack.env.account}:policy/${policy.name}`, policy);
        for (const name of (p.Roles as string[]) ?? []) roleByName(name).managed.push(policy);
      } else if (Type === 'AWS::S3::BucketPolicy') {
        bucketPolicies.set(p.Bucket as string, p.PolicyDocument as PolicyDocumentJson);
      } else if (Type === 'Custom::MeshCatalogPolicy') {
        const catalog = `arn:${partition}:glue:${stack.env.region}:${stack.env.account}:catalog`;
        const merged = catalogHandler.mergePolicy(
          catalogJson.get(catalog),
          p.Owner as string,
          JSON.parse(p.Statements as string) as unknown[],
        );
        catalogJson.set(catalog, merged);
      } else if (Type === 'AWS::KMS::Key') {
        const arn = `arn:${partition}:kms:${stack.env.region}:${stack.env.account}:key/${assumedKeyId(stack.name, id)}`;
        keys.set(arn, { arn, policy: p.KeyPolicy as PolicyDocumentJson, aliases: [] });
      }
    }
    for (const { Type, Properties: p = {} } of Object.values(resources)) {
      if (Type === 'AWS::IAM::Role') {
        for (const arn of (p.ManagedPolicyArns as string[]) ?? []) {
          const policy = managedByArn.get(arn);
          if (policy) roleByName(p.RoleName as string).managed.push(policy);
        }
      }
      if (Type === 'AWS::KMS::Alias') {
        const target = String(p.TargetKeyId);
        const key = [...keys.values()].find((k) => k.arn === target || k.arn.endsWith(`/${target}`));
        if (!key) continue;
        key.aliases.push(p.AliasName as string);
        keysByAlias.set(`arn:${partition}:kms:${stack.env.region}:${stack.env.account}:${p.AliasName}`, key);
      }
    }
  }
  const catalogPolicies = new Map<string, PolicyDocumentJson>();
  for (const [catalog, json] of catalogJson) if (json) catalogPolicies.set(catalog, JSON.parse(json));
  return { roles, bucketPolicies, keysByAlias, catalogPolicies };
}

/**
 * The id a key is assumed to get when deployed: random in AWS, derived from the stack and logical id here so
 * that every reference to the key agrees.
 */
export function assumedKeyId(stackName: string, logicalId: string): string {
  const hex = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Why each template could not deploy on its own: `Fn::ImportValue`, or a Ref/GetAtt/Sub naming something
 * that is not in the template. Empty when every template stands alone.
 */
export function crossStackReferences(stacks: readonly StackTemplate[]): string[] {
  const problems: string[] = [];
  for (const stack of stacks) {
    if (JSON.stringify(stack.template).includes('Fn::ImportValue'))
      problems.push(`${stack.name}: uses Fn::ImportValue`);
    try {
      resolveTemplate(stack);
    } catch (err) {
      if (!(err instanceof TemplateResolutionError)) throw err;
      problems.push(err.message);
    }
  }
  return problems;
}
