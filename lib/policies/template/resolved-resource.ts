/**
 * A CloudFormation resource as it will be written to the template: resolved once by the engine, then
 * handed to every rule. Deploy-time values stay as intrinsic functions (`{ Ref }`, `{ "Fn::Join" }`), so a
 * rule can tell a literal from a value it cannot know.
 */
import { type CfnResource, Stack, TagManager } from 'aws-cdk-lib';

/** Plain JSON after resolution. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ResolvedResource {
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** Resolved `Properties`; empty when the resource has none. */
  readonly properties: JsonObject;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  /** Construct path, e.g. `Mesh-Sales/Domain/Data/Resource`. */
  readonly path: string;
  /** Whether CDK manages tags on it (types without a Tags property, like Glue tables, are not). */
  readonly taggable: boolean;
  /** Characters the resource takes in the template (compact JSON, as written without indentation). */
  readonly templateChars: number;
}

interface RenderedResource {
  Type?: string;
  Properties?: JsonObject;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/**
 * Resolves a resource exactly as synthesis will (property overrides, tags, removal policies), in the stack
 * that holds it, so references come out as that template's `Ref`/`Fn::GetAtt`.
 */
export function resolveResource(resource: CfnResource): ResolvedResource {
  const stack = Stack.of(resource);
  const rendered = stack.resolve(resource._toCloudFormation()) as { Resources?: Record<string, RenderedResource> };
  const [logicalId, body] = Object.entries(rendered.Resources ?? {})[0] ?? [stack.resolve(resource.logicalId), {}];
  return {
    logicalId,
    type: body.Type ?? resource.cfnResourceType,
    properties: body.Properties ?? {},
    deletionPolicy: body.DeletionPolicy,
    updateReplacePolicy: body.UpdateReplacePolicy,
    path: resource.node.path,
    taggable: TagManager.isTaggable(resource) || TagManager.isTaggableV2(resource),
    templateChars: logicalId.length + JSON.stringify(body).length + 4,
  };
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
