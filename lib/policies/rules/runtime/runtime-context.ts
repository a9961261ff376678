/**
 * What the runtime rules compare resources with: the domain's runtime names (lib/runtime/names.ts) and the
 * resources a value points at, by reference or by rendered name or ARN.
 */
import { type DomainRuntimeNames, domainRuntimeNames } from '../../../runtime/names';
import type { ResourceContext } from '../../model';
import { get, type Json, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

export function runtimeNamesOf(context: Pick<ResourceContext, 'mesh' | 'domain'>): DomainRuntimeNames {
  return domainRuntimeNames(context.mesh.config, context.domain.name);
}

/** The resource of the given type a value refers to (Ref or GetAtt), if it refers to one in this template. */
export function referenced(
  value: Json | undefined,
  type: string,
  template: TemplateView,
): ResolvedResource | undefined {
  const id = template.referencedId(value);
  const resource = id === undefined ? undefined : template.resources.get(id);
  return resource?.type === type ? resource : undefined;
}

/** Name of a log group a destination ARN names: a LogGroup of the template, or the name inside a literal ARN. */
export function logGroupNameOf(value: Json | undefined, template: TemplateView): string | undefined {
  const group = referenced(value, 'AWS::Logs::LogGroup', template);
  if (group) return template.render(group.properties.LogGroupName);
  const arn = template.render(value);
  return arn?.match(/:log-group:([^:]+)(:\*)?$/)?.[1];
}

/** Name of a state machine a target ARN names: a StateMachine of the template, or the name inside a literal ARN. */
export function stateMachineNameOf(value: Json | undefined, template: TemplateView): string | undefined {
  const machine = referenced(value, 'AWS::StepFunctions::StateMachine', template);
  if (machine) return template.render(machine.properties.StateMachineName);
  const arn = template.render(value);
  return arn?.match(/:states:[^:]*:[^:]*:stateMachine:([^:]+)$/)?.[1];
}

/** Name of a role a role ARN names: a Role of the template, or the name inside a literal ARN. */
export function roleNameOf(value: Json | undefined, template: TemplateView): string | undefined {
  const role = referenced(value, 'AWS::IAM::Role', template);
  if (role) return template.render(role.properties.RoleName);
  const arn = template.render(value);
  return arn?.match(/:iam::[^:]*:role\/(.+)$/)?.[1];
}

/** Whether a key reference is a KMS key of this template or a key alias (a customer managed key). */
export function isCustomerKey(value: Json | undefined, template: TemplateView): boolean {
  if (referenced(value, 'AWS::KMS::Key', template)) return true;
  const text = template.render(value);
  if (text === undefined) return false;
  // AWS managed keys carry aliases under alias/aws/.
  return !/alias\/aws\//.test(text) && /(^alias\/|:alias\/|:key\/|^\{key:)/.test(text);
}

export { get };
