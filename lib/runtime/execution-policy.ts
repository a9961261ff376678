/**
 * The identity policy of a product's execution role, as plain JSON with the access placeholders: Athena in the
 * domain workgroup, the product's own prefixes (its table, its staging table, the domain's quality results),
 * exactly its declared inputs (lib/access/runtime-grants.ts), its metrics, its alert topic and the log delivery
 * Step Functions needs. Nothing else: the role cannot read another product of its own domain.
 */
import { type DomainEnv, domainEnv, PARTITION_PLACEHOLDER, URL_SUFFIX_PLACEHOLDER } from '../access/env';
import type { PolicyStatementJson } from '../access/policy-json';
import { productRuntimeInputStatements } from '../access/runtime-grants';
import { findDomain, type Mesh, type MeshProduct } from '../mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../mesh/naming';
import { domainRuntimeNames, productRuntimeNames } from './names';
import type { ProductRun } from './plan';

/** Log delivery actions Step Functions requires on `*` (its logging documentation: no resource-level permissions). */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

export function executionPolicyStatements(mesh: Mesh, product: MeshProduct, run: ProductRun): PolicyStatementJson[] {
  const domain = findDomain(mesh, product.domain);
  if (!domain) throw new Error(`unknown domain "${product.domain}"`);
  const env: DomainEnv = domainEnv(domain);
  const p = PARTITION_PLACEHOLDER;
  const names = domainNames(mesh.config, product.domain);
  const runtime = domainRuntimeNames(mesh.config, product.domain);
  const own = productRuntimeNames(mesh.config, product.domain, product.name, run.version.major);
  const { table, prefix } = productVersionNames(product.name, run.version.major);
  const fill = (name: string) => renderName(name, env);
  const dataBucket = fill(names.dataBucket);
  const resultsBucket = fill(names.resultsBucket);
  const glue = (resource: string) => `arn:${p}:glue:${env.region}:${env.account}:${resource}`;
  // Keys are addressed by alias, as input grants address producers' keys: no key ARN crosses a stack boundary.
  const keysIn = `arn:${p}:kms:${env.region}:${env.account}:key/*`;
  const byAlias = (alias: string) => ({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias] } });
  const stateMachineArn = `arn:${p}:states:${env.region}:${env.account}:stateMachine:${own.stateMachine}`;

  const writable =
    run.kind === 'build' ? [prefix, own.stagingPrefix, runtime.qualityResultsPrefix] : [runtime.qualityResultsPrefix];
  const readable = run.kind === 'build' ? writable : [prefix, ...writable];
  const tables =
    run.kind === 'build'
      ? [table, own.stagingTable, runtime.qualityResultsTable]
      : [table, runtime.qualityResultsTable];
  const writtenTables = run.kind === 'build' ? tables : [runtime.qualityResultsTable];

  return [
    {
      Sid: 'QueryInDomainWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetWorkGroup',
      ],
      Resource: arns.workgroup(p, env.region, env.account, names.workgroup),
    },
    {
      Sid: 'WriteQueryResults',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      Resource: arns.objects(p, resultsBucket, ''),
    },
    {
      Sid: 'LocateQueryResults',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: arns.bucket(p, resultsBucket),
    },
    {
      Sid: 'ReadOwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: readable.map((r) => arns.objects(p, dataBucket, r)),
    },
    {
      Sid: 'WriteOwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: writable.map((r) => arns.objects(p, dataBucket, r)),
    },
    {
      Sid: 'ListOwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: arns.bucket(p, dataBucket),
      Condition: { StringLike: { 's3:prefix': readable.map((r) => `${r}*`) } },
    },
    {
      Sid: 'LocateDomainData',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation'],
      Resource: arns.bucket(p, dataBucket),
    },
    {
      Sid: 'ReadOwnTables',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      Resource: [
        glue('catalog'),
        glue(`database/${names.database}`),
        ...tables.map((t) => glue(`table/${names.database}/${t}`)),
      ],
    },
    {
      // Iceberg commits a write by pointing the Glue table at its new metadata file.
      Sid: 'CommitOwnTables',
      Effect: 'Allow',
      Action: ['glue:UpdateTable'],
      Resource: [
        glue('catalog'),
        glue(`database/${names.database}`),
        ...writtenTables.map((t) => glue(`table/${names.database}/${t}`)),
      ],
    },
    {
      Sid: 'UseDomainKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: keysIn,
      Condition: byAlias(names.keyAlias),
    },
    ...(run.kind === 'build' ? productRuntimeInputStatements(mesh, product) : []),
    {
      Sid: 'PublishRunMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': runtime.metricNamespace } },
    },
    {
      Sid: 'NotifyDomain',
      Effect: 'Allow',
      Action: ['sns:Publish'],
      Resource: `arn:${p}:sns:${env.region}:${env.account}:${runtime.alertsTopic}`,
    },
    {
      // The topic is encrypted with the runtime key; publishing needs a data key from it.
      Sid: 'EncryptAlerts',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: keysIn,
      Condition: {
        ...byAlias(runtime.runtimeKeyAlias),
        StringEquals: { 'kms:ViaService': `sns.${env.region}.${URL_SUFFIX_PLACEHOLDER}` },
      },
    },
    {
      Sid: 'EncryptExecutionData',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: keysIn,
      Condition: {
        ...byAlias(runtime.runtimeKeyAlias),
        StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn },
      },
    },
    {
      Sid: 'EncryptExecutionLogs',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey'],
      Resource: keysIn,
      Condition: {
        ...byAlias(runtime.runtimeKeyAlias),
        StringLike: { 'kms:EncryptionContext:SourceArn': `arn:${p}:logs:${env.region}:${env.account}:*` },
      },
    },
    { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: [...LOG_DELIVERY_ACTIONS], Resource: '*' },
  ];
}
