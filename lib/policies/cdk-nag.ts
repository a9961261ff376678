/**
 * cdk-nag (AwsSolutions pack) as an opt-in second opinion. The pack is a policy-validation plugin that runs
 * every rule on every resource after synthesis (1.3-1.6x synth time on a 500-product mesh), so it is not on
 * by default: CI runs it (test/policies/cdk-nag.slow.test.ts) and `-c cdk-nag=true` turns it on for a synth.
 *
 * The platform's own resources produce a few AwsSolutions findings that are by design; each is acknowledged
 * here, on the domain's construct, with the reason, instead of in the constructs.
 */
import { type App, type CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { domainNames, productVersionNames, renderName } from '../mesh/naming';
import type { GovernedStack } from './engine/governed-stack';
import { runtimeNagAcknowledgements } from './external-packs/acknowledgements';

/** Context key that turns cdk-nag on for a synth: `npx cdk synth -c cdk-nag=true`. */
export const CDK_NAG_CONTEXT = 'cdk-nag';

/** A domain stack whose domain exposes its data and results buckets (DomainStack does). */
export interface NagAcknowledgeableStack extends GovernedStack {
  readonly dataDomain: IConstruct & { readonly dataBucket: IConstruct; readonly resultsBucket: IConstruct };
}

/** An acknowledgement of one finding, with the reason auditors read. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** How cdk-nag writes a value: pseudo parameters as `<AWS::AccountId>`, literals as they are. */
function nagText(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}

function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnResource;
  return Stack.of(resource).resolve(resource.logicalId) as string;
}

/** The AwsSolutions findings the platform's design produces in one domain stack, each with its reason. */
export function platformAcknowledgements(stack: NagAcknowledgeableStack): NagAcknowledgement[] {
  const { mesh, domain } = stack;
  const partition = nagText(stack.partition, 'AWS::Partition');
  const account = nagText(stack.account, 'AWS::AccountId');
  const region = nagText(stack.region, 'AWS::Region');
  const names = domainNames(mesh.config, domain.name);
  const iam5 = (resource: string, reason: string) => ({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });

  const acknowledgements = [
    iam5(
      `<${logicalIdOf(stack.dataDomain.dataBucket)}.Arn>/products/*`,
      "The domain's roles own the domain's whole product area (products/<product>/v<major>/) in its own bucket; one prefix grant keeps the policy size constant as products are added.",
    ),
    iam5(
      `arn:${partition}:glue:${region}:${account}:table/${names.database}/*`,
      "The domain's roles read and maintain every table of the domain's own Glue database; tables come and go with products.",
    ),
    iam5(
      `<${logicalIdOf(stack.dataDomain.resultsBucket)}.Arn>/*`,
      "Athena writes query results under generated keys in the domain's own results bucket.",
    ),
    iam5(
      `arn:${partition}:s3:::${mesh.config.prefix}-*-data-*-*`,
      "Only s3:GetBucketLocation, on the mesh's data buckets: Athena locates an input's bucket before reading it; the action reveals no data.",
    ),
    iam5(
      `arn:${partition}:kms:${region}:${account}:key/*`,
      "Only kms:Decrypt, only through S3 (kms:ViaService) and only for keys aliased as the input domains' keys (kms:ResourceAliases): key IDs cannot be derived from the definitions, aliases can.",
    ),
  ];
  const seen = new Set<string>();
  for (const edge of mesh.edges) {
    if (edge.consumer.domain !== domain.name || edge.producer.domain === domain.name) continue;
    // A producer that pins its environment is addressed with it; others share this stack's account and region.
    const pinned = mesh.domains.find((d) => d.name === edge.producer.domain)?.definition.env;
    const bucket = renderName(domainNames(mesh.config, edge.producer.domain).dataBucket, pinned ?? { account, region });
    const prefix = productVersionNames(edge.producer.name, edge.major).prefix;
    const resource = `arn:${partition}:s3:::${bucket}/${prefix}*`;
    if (seen.has(resource)) continue;
    seen.add(resource);
    acknowledgements.push(
      iam5(
        resource,
        `Read of the granted input ${edge.producer.id}@${edge.major}: every object under its version prefix, whose keys the producer writes.`,
      ),
    );
  }
  return acknowledgements;
}

/**
 * Records the platform's acknowledgements on each stack's domain construct, and the runtime plane's on its
 * scheduler role, execution roles and state machines (external-packs/acknowledgements.ts).
 */
export function acknowledgePlatformFindings(stacks: readonly NagAcknowledgeableStack[]): void {
  for (const stack of stacks) {
    Validations.of(stack.dataDomain).acknowledge(...platformAcknowledgements(stack));
    for (const { target, id, reason } of runtimeNagAcknowledgements(stack)) {
      Validations.of(target).acknowledge({ id, reason });
    }
  }
}

/** Adds the AwsSolutions pack to the app and acknowledges the platform's by-design findings. */
export function enableCdkNag(app: App, stacks: readonly NagAcknowledgeableStack[]): void {
  // A development dependency, loaded only when asked for.
  const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgePlatformFindings(stacks);
}
