/**
 * An execution role as the brief of the runtime plane describes it, written straight into a synthesized
 * template: what the access verification expects of the runtime constructs, so the matrix and the fences
 * are tested with execution roles before (and independently of) the constructs that deploy them.
 */
import { fillPlaceholders, partitionOf } from '../../../lib/access/env';
import type { PolicyStatementJson } from '../../../lib/access/policy-json';
import { productRuntimeInputStatements } from '../../../lib/access/runtime-grants';
import type { ExpectedExecutionRole } from '../../../lib/access/verify/matrix';
import type { StackTemplate } from '../../../lib/access/verify/templates';
import { findProduct, type Mesh } from '../../../lib/mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../../../lib/mesh/naming';
import { domainRuntimeNames } from '../../../lib/runtime/names';

/** The role's statements, concrete for the stack's environment; `extra` statements are appended. */
export function referenceExecutionStatements(
  mesh: Mesh,
  role: ExpectedExecutionRole,
  stack: StackTemplate,
  extra: readonly PolicyStatementJson[] = [],
): PolicyStatementJson[] {
  const [id, majorText] = role.product.split('@');
  const [domain, name] = id.split('/');
  const product = findProduct(mesh, domain, name);
  if (!product) throw new Error(`unknown product ${id}`);
  const { account, region } = stack.env;
  const { partition, urlSuffix } = partitionOf(region);
  const names = domainNames(mesh.config, domain);
  const runtime = domainRuntimeNames(mesh.config, domain);
  const version = productVersionNames(name, Number(majorText));
  const bucket = arns.bucket(partition, renderName(names.dataBucket, { account, region }));
  const results = arns.bucket(partition, renderName(names.resultsBucket, { account, region }));
  const prefixes = [version.prefix, role.names.stagingPrefix, runtime.qualityResultsPrefix];
  const table = (t: string) => arns.glueTable(partition, region, account, names.database, t);
  return [
    ...fillPlaceholders(productRuntimeInputStatements(mesh, product), { partition, account, region, urlSuffix }),
    {
      Sid: 'OwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: prefixes.map((p) => `${bucket}/${p}*`),
    },
    {
      Sid: 'ListOwnPrefixes',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucket,
      Condition: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: 'OwnTables',
      Effect: 'Allow',
      Action: ['glue:GetTable', 'glue:UpdateTable'],
      Resource: [
        arns.glueCatalog(partition, region, account),
        arns.glueDatabase(partition, region, account, names.database),
        table(version.table),
        table(role.names.stagingTable),
        table(runtime.qualityResultsTable),
      ],
    },
    {
      Sid: 'QueryResults',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${results}/*`,
    },
    {
      Sid: 'UseDomainKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: `arn:${partition}:kms:${region}:${account}:key/*`,
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [names.keyAlias] } },
    },
    ...extra,
  ];
}

/** The templates with the role added to its domain's stack, unless a template already deploys a role of that name. */
export function withReferenceExecutionRole(
  mesh: Mesh,
  templates: readonly StackTemplate[],
  role: ExpectedExecutionRole,
  extra: readonly PolicyStatementJson[] = [],
): StackTemplate[] {
  const { stackName } = domainNames(mesh.config, role.domain);
  const deployed = JSON.stringify(templates.map((t) => t.template)).includes(`"RoleName":"${role.name}"`);
  if (deployed && extra.length === 0) return [...templates];
  return templates.map((stack) => {
    if (stack.name !== stackName) return stack;
    const resources = { ...(stack.template.Resources ?? {}) };
    resources[`ReferenceExecutionRole${Object.keys(resources).length}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: role.name,
        Policies: [
          {
            PolicyName: 'Runtime',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: referenceExecutionStatements(mesh, role, stack, extra),
            },
          },
        ],
      },
    };
    return { ...stack, template: { ...stack.template, Resources: resources } };
  });
}
