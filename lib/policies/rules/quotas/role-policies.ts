/** Which policies a role ends up with, across the template: inline, attached policy resources, managed. */
import { asList, type Json, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

/** Whether a `Roles` list of a policy resource names the role (by reference or by rendered name). */
function namesRole(roles: Json | undefined, role: ResolvedResource, template: TemplateView): boolean {
  const roleName = template.render(role.properties.RoleName);
  return asList(roles).some(
    (entry) =>
      template.referencedId(entry) === role.logicalId ||
      (roleName !== undefined && template.render(entry) === roleName),
  );
}

/** Inline policy documents of a role: its Policies plus every AWS::IAM::Policy attached to it. */
export function inlineDocumentsOf(role: ResolvedResource, template: TemplateView): { name: string; document: Json }[] {
  const own = asList(role.properties.Policies).map((p, i) => ({
    name: String((p as { PolicyName?: Json }).PolicyName ?? `Policies[${i}]`),
    document: (p as { PolicyDocument?: Json }).PolicyDocument ?? null,
  }));
  const attached = template
    .ofType('AWS::IAM::Policy')
    .filter((policy) => namesRole(policy.properties.Roles, role, template))
    .map((policy) => ({ name: policy.logicalId, document: policy.properties.PolicyDocument ?? null }));
  return [...own, ...attached];
}

/** Number of managed policies attached to a role: its ManagedPolicyArns plus managed policies naming it. */
export function managedPolicyCount(role: ResolvedResource, template: TemplateView): number {
  const arns = asList(role.properties.ManagedPolicyArns);
  const referenced = new Set(arns.map((arn) => template.referencedId(arn)).filter(Boolean));
  const attaching = template
    .ofType('AWS::IAM::ManagedPolicy')
    .filter((policy) => !referenced.has(policy.logicalId) && namesRole(policy.properties.Roles, role, template));
  return arns.length + attaching.length;
}
