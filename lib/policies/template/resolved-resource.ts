/**
 * A CloudFormation resource as written to the template: resolved exactly once, by synthesis, then handed to
 * every rule. Deploy-time values stay as intrinsic functions (`{ Ref }`, `{ "Fn::Join" }`), so a rule can
 * tell a literal from a value it cannot know.
 */

/** Plain JSON as in a template. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ResolvedResource {
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** `Properties`; empty when the resource has none. */
  readonly properties: JsonObject;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  /** Explicit `DependsOn` logical IDs. */
  readonly dependsOn: readonly string[];
  /** Construct path, e.g. `Mesh-Sales/Domain/Data/Resource`. */
  readonly path: string;
  /** Whether CDK manages tags on it (types without a Tags property, like Glue tables, are not). */
  readonly taggable: boolean;
}

/** The resources of a template; paths come from `aws:cdk:path` metadata when present. */
export function readTemplateResources(template: JsonObject): ResolvedResource[] {
  const resources = template.Resources;
  if (!isObject(resources)) return [];
  return Object.entries(resources).flatMap(([logicalId, body]) => {
    if (!isObject(body)) return [];
    const path = get(body, 'Metadata', 'aws:cdk:path');
    return [
      {
        logicalId,
        type: typeof body.Type === 'string' ? body.Type : '',
        properties: isObject(body.Properties) ? body.Properties : {},
        deletionPolicy: typeof body.DeletionPolicy === 'string' ? body.DeletionPolicy : undefined,
        updateReplacePolicy: typeof body.UpdateReplacePolicy === 'string' ? body.UpdateReplacePolicy : undefined,
        dependsOn: asList(body.DependsOn).filter((d): d is string => typeof d === 'string'),
        path: typeof path === 'string' ? path : '',
        taggable: false,
      },
    ];
  });
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that may be one item or a list, as IAM and CloudFormation allow, as a list. */
export function asList(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads a nested property, e.g. `get(props, 'WorkGroupConfiguration', 'ResultConfiguration')`. */
export function get(value: Json | undefined, ...keys: string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
