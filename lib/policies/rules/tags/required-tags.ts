import type { ResourceRule } from '../../model';
import { expectedTags, tagsOf } from './tag-values';

/** MESH-TAG-001: taggable resources carry the mesh tags. */
export const requiredTags: ResourceRule = {
  kind: 'resource',
  id: 'MESH-TAG-001',
  severity: 'error',
  title: 'Taggable resources carry the mesh tags',
  explanation:
    'Cost reports, access reviews and incident routing read the tags mesh:domain, mesh:owner, mesh:classification and mesh:cost-center, plus mesh:product on resources that belong to a product. Types without tag support (Glue tables and databases, Athena named queries, IAM policies) are not checked.',
  fix: 'build the resource inside the DomainStack (its tags apply to every child) or add the tags with Tags.of(construct).add',
  resourceTypes: 'any',
  appliesTo: (resource) => resource.taggable,
  check(resource, context) {
    const present = tagsOf(resource);
    return [...expectedTags(context).keys()]
      .filter((key) => !present.has(key))
      .map((key) => ({ finding: key, message: `has no ${key} tag` }));
  },
};
