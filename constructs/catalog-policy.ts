import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { catalogPolicyOwner, catalogPolicyStatements } from '../lib/access/catalog-policy';
import { fillPlaceholders } from '../lib/access/env';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { domainNames } from '../lib/mesh/naming';
import { denyGrantsExceptForAwsResources } from './data-domain';

/** The handler's folder: one plain JavaScript file, deployed as it is. */
export const CATALOG_POLICY_HANDLER_DIR = path.join(__dirname, '..', 'lib', 'access', 'catalog-policy-handler');

export interface CatalogPolicyProps {
  /** The resolved mesh: the domain's contracts and where their readers live. */
  readonly mesh: Mesh;
  /** The producer domain whose shared tables other accounts read. */
  readonly domain: MeshDomain;
}

/**
 * The domain's statements in its account's Glue Data Catalog resource policy (lib/access/catalog-policy.ts),
 * kept there by a custom resource: CloudFormation has no resource for the catalog policy, and the policy is
 * shared by the whole account, so the handler merges the domain's statements in and takes only them out
 * again. Built only for a domain that other accounts read, so same-account meshes deploy no function.
 */
export class CatalogPolicy extends Construct {
  /** The statements written, with this stack's values filled in. */
  readonly statements: readonly object[];

  constructor(scope: Construct, id: string, props: CatalogPolicyProps) {
    super(scope, id);
    const { mesh, domain } = props;
    const stack = Stack.of(this);
    const names = domainNames(mesh.config, domain.name);
    const functionName = `${names.producerRole.replace(/-producer$/, '')}-catalog-policy`;
    const catalogArn = `arn:${stack.partition}:glue:${stack.region}:${stack.account}:catalog`;
    const logGroupName = `/aws/lambda/${functionName}`;

    const key = new kms.Key(this, 'LogsKey', {
      description: `Logs of the ${domain.name} domain's Glue catalog policy updates`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsResources(key);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EncryptUpdateLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`,
          },
        },
      }),
    );
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new iam.Role(this, 'Role', {
      roleName: functionName,
      description: `Keeps the ${domain.name} domain's statements in the account's Glue catalog policy`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        CatalogPolicy: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'MergeCatalogPolicy',
              actions: ['glue:GetResourcePolicy', 'glue:PutResourcePolicy', 'glue:DeleteResourcePolicy'],
              resources: [catalogArn],
            }),
            new iam.PolicyStatement({
              sid: 'WriteUpdateLogs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [`${logGroup.logGroupArn}:*`],
            }),
          ],
        }),
      },
    });

    const handler = new lambda.Function(this, 'Handler', {
      functionName,
      description: `Merges the ${domain.name} domain's statements into the account's Glue catalog policy`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(CATALOG_POLICY_HANDLER_DIR),
      handler: 'index.handler',
      timeout: Duration.minutes(2),
      memorySize: 256,
      role,
      logGroup,
    });

    this.statements = fillPlaceholders(catalogPolicyStatements(mesh, domain), {
      partition: stack.partition,
      account: stack.account,
      region: stack.region,
      urlSuffix: stack.urlSuffix,
    });
    new CustomResource(this, 'Statements', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::MeshCatalogPolicy',
      // The handler always answers; should it not start at all, the deploy fails after this instead of an hour.
      serviceTimeout: Duration.minutes(5),
      properties: {
        Owner: catalogPolicyOwner(mesh, domain.name),
        // A string, so CloudFormation passes the document exactly (it would turn numbers and booleans into strings).
        Statements: stack.toJsonString(this.statements),
      },
    });
  }
}
