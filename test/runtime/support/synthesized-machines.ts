/**
 * The example mesh's state machines as Step Functions receives them: each AWS::StepFunctions::StateMachine's
 * DefinitionString with its Fn::Join resolved against a fixed, made-up account, so offline tools can validate
 * and run them. Unknown intrinsics throw: a definition resolved wrongly would make every later check meaningless.
 */
import { App } from 'aws-cdk-lib';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } from '../../../constructs/mesh-app';
import { readCdkContext } from '../../../lib/mesh/config';
import { loadMesh } from '../../../lib/mesh/load';
import type { Mesh } from '../../../lib/mesh/model';
import { PROJECT_ROOT } from '../../support/temp-project';

/** Where the definitions are taken to be deployed. */
export const PLACEHOLDER_ENV = { partition: 'aws', region: 'eu-west-1', account: '123456789012' } as const;

export interface SynthesizedMachine {
  readonly stackName: string;
  readonly logicalId: string;
  readonly stateMachineName: string;
  /** The definition as deployed, every CloudFormation value filled. */
  readonly definition: StateMachineDefinition;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': PLACEHOLDER_ENV.partition,
  'AWS::Region': PLACEHOLDER_ENV.region,
  'AWS::AccountId': PLACEHOLDER_ENV.account,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** `AWS::SNS::Topic` → `sns`: the service of a placeholder ARN. */
function serviceOf(type: string): string {
  return type.split('::')[1]?.toLowerCase() ?? 'unknown';
}

function placeholderArn(logicalId: string, resources: Readonly<Record<string, TemplateResource>>): string {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`reference to ${logicalId}, which the template does not have`);
  const { partition, region, account } = PLACEHOLDER_ENV;
  return `arn:${partition}:${serviceOf(resource.Type)}:${region}:${account}:${logicalId}`;
}

/** A CloudFormation string value with Ref, Fn::GetAtt and Fn::Join filled. */
export function resolveString(value: unknown, resources: Readonly<Record<string, TemplateResource>>): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, args] = entries[0];
      if (fn === 'Ref' && typeof args === 'string') return PSEUDO_PARAMETERS[args] ?? placeholderArn(args, resources);
      if (fn === 'Fn::GetAtt' && Array.isArray(args) && args[1] === 'Arn') return placeholderArn(args[0], resources);
      if (fn === 'Fn::Join' && Array.isArray(args) && Array.isArray(args[1])) {
        return args[1].map((part: unknown) => resolveString(part, resources)).join(String(args[0]));
      }
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} offline`);
}

/** Every state machine of the synthesized app, in stack order. */
export function machinesOf(app: App): SynthesizedMachine[] {
  const machines: SynthesizedMachine[] = [];
  for (const stack of app.synth().stacks) {
    const resources: Record<string, TemplateResource> = stack.template.Resources ?? {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const properties = resource.Properties ?? {};
      machines.push({
        stackName: stack.stackName,
        logicalId,
        stateMachineName: resolveString(properties.StateMachineName, resources),
        definition: JSON.parse(resolveString(properties.DefinitionString, resources)),
      });
    }
  }
  return machines;
}

/** The example mesh, synthesized once without governance (its own tests cover it), and its state machines. */
export function exampleMeshMachines(): { mesh: Mesh; machines: SynthesizedMachine[] } {
  const mesh = loadMesh({ root: PROJECT_ROOT });
  const app = new App({
    treeMetadata: MESH_TREE_METADATA,
    context: { ...readCdkContext(PROJECT_ROOT), ...meshSynthContext() },
  });
  addDomainStacks(app, mesh, { governance: false });
  return { mesh, machines: machinesOf(app) };
}
