/** Every identity policy document of one role, wherever the template puts it. */
import { asList, type Json, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';
import { inlineDocumentsOf } from '../quotas/role-policies';

/** Inline policies, attached AWS::IAM::Policy resources and customer managed policies of this template. */
export function roleDocuments(role: ResolvedResource, template: TemplateView): { name: string; document: Json }[] {
  const roleName = template.render(role.properties.RoleName);
  const attached = new Set(asList(role.properties.ManagedPolicyArns).map((arn) => template.referencedId(arn)));
  const managed = template
    .ofType('AWS::IAM::ManagedPolicy')
    .filter(
      (policy) =>
        attached.has(policy.logicalId) ||
        asList(policy.properties.Roles).some(
          (entry) =>
            template.referencedId(entry) === role.logicalId ||
            (roleName !== undefined && template.render(entry) === roleName),
        ),
    );
  return [
    ...inlineDocumentsOf(role, template),
    ...managed.map((policy) => ({ name: policy.logicalId, document: policy.properties.PolicyDocument ?? null })),
  ];
}

/** Managed policy ARNs of a role that are not customer managed policies of this template (AWS managed ones). */
export function foreignManagedPolicies(role: ResolvedResource, template: TemplateView): string[] {
  return asList(role.properties.ManagedPolicyArns)
    .filter((arn) => template.referencedId(arn) === undefined)
    .map((arn) => template.describe(arn));
}
