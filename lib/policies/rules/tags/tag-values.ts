/**
 * The mesh tags a resource must carry and the values the definitions give them, shared by the presence
 * rule (MESH-TAG-001) and the value rule (MESH-TAG-002).
 */
import type { ResourceContext } from '../../model';
import { asList, get, isObject, type Json, type ResolvedResource } from '../../template/resolved-resource';

export const TAG_DOMAIN = 'mesh:domain';
export const TAG_PRODUCT = 'mesh:product';
export const TAG_OWNER = 'mesh:owner';
export const TAG_CLASSIFICATION = 'mesh:classification';
export const TAG_COST_CENTER = 'mesh:cost-center';

/** Required tag keys and their expected values for a resource in this context. */
export function expectedTags(context: Pick<ResourceContext, 'domain' | 'product'>): Map<string, string> {
  const { domain, product } = context;
  const tags = new Map<string, string>([
    [TAG_DOMAIN, domain.name],
    [TAG_OWNER, (product?.owner ?? domain.definition.owner).email],
    [TAG_CLASSIFICATION, product?.classification ?? domain.definition.defaults.classification],
    [TAG_COST_CENTER, domain.definition.costCenter],
  ]);
  if (product) tags.set(TAG_PRODUCT, product.name);
  return tags;
}

/** The resource's tags (list of Key/Value, or a map for the few types that use one). */
export function tagsOf(resource: ResolvedResource): Map<string, Json> {
  const raw = resource.properties.Tags;
  const tags = new Map<string, Json>();
  if (Array.isArray(raw)) {
    for (const tag of asList(raw)) {
      const key = get(tag, 'Key');
      if (typeof key === 'string') tags.set(key, get(tag, 'Value') ?? null);
    }
  } else if (isObject(raw)) {
    for (const [key, value] of Object.entries(raw)) tags.set(key, value);
  }
  return tags;
}
