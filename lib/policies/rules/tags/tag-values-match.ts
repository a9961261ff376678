import type { ResourceRule, Violation } from '../../model';
import { cannotVerify } from '../expectations';
import { expectedTags, tagsOf } from './tag-values';

/** MESH-TAG-002: mesh tag values match the definitions. */
export const tagValuesMatch: ResourceRule = {
  kind: 'resource',
  id: 'MESH-TAG-002',
  severity: 'error',
  title: 'Mesh tag values match the definitions',
  explanation:
    "A tag that names the wrong domain, owner, product, classification or cost center sends the bill, the access review or the incident to the wrong team. Values come from the domain and product files; the product's owner and classification win over the domain's.",
  fix: 'remove the hand-set tag so the platform tag applies, or change the definition',
  resourceTypes: 'any',
  appliesTo: (resource) => resource.taggable,
  check(resource, context) {
    const present = tagsOf(resource);
    const violations: Violation[] = [];
    for (const [key, expected] of expectedTags(context)) {
      if (!present.has(key)) continue;
      const value = present.get(key);
      const text = context.template.render(value ?? undefined);
      if (text === undefined)
        violations.push(cannotVerify(`the ${key} tag`, value ?? undefined, context.template, key));
      else if (text !== expected) {
        violations.push({ finding: key, message: `tag ${key} is "${text}", the definitions say "${expected}"` });
      }
    }
    return violations;
  },
};
