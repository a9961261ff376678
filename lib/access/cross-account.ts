/**
 * Reads across accounts. AWS allows a request from another account only when both sides allow it: the
 * consumer's identity policy (input-grants.ts, unchanged) and the producer's resource policy. The producer's
 * fences (producer-fences.ts) only deny, so here the producer's bucket and key policies get one Allow each,
 * opening them to the *accounts* its contracts' readers live in; the fences still decide which roles in those
 * accounts read which product. Principals are account roots narrowed by `aws:PrincipalArn`: a policy naming a
 * role ARN fails to deploy until that role exists, which would bring back a deploy order.
 *
 * Which accounts: a mesh-visible product is readable from every account of the stage (cdk.json lists them,
 * so a domain joining an existing account needs no producer redeploy); a product shared with named domains
 * from exactly the accounts those domains live in. A mesh without stages names no accounts, so it has no
 * cross-account reads: domains pinned to different accounts that read each other are a definition error
 * (see crossAccountProblems).
 */
import { findDomain, type Mesh, type MeshDomain } from '../mesh/model';
import { ACCOUNT_PLACEHOLDER, domainNames, REGION_PLACEHOLDER } from '../mesh/naming';
import type { DefinitionProblem } from '../mesh/problems';
import { PARTITION_PLACEHOLDER } from './env';
import type { PolicyStatementJson } from './policy-json';
import { meshRolePatterns } from './principals';
import type { SharedGroup } from './producer-fences';

/** Accounts of the stage being synthesized, as cdk.json lists them; empty for a mesh without stages. */
export function stageAccounts(mesh: Mesh): readonly string[] {
  const { stage, stages } = mesh.config;
  return stage ? (stages?.[stage]?.accounts ?? []) : [];
}

/** The account a domain is pinned to, or undefined when its stack is environment-agnostic. */
export function pinnedAccount(domain: MeshDomain): string | undefined {
  return domain.definition.env?.account;
}

/** Accounts other than the producer's own that may read a shared group's products, sorted. */
export function groupReaderAccounts(mesh: Mesh, producer: MeshDomain, group: SharedGroup): string[] {
  const own = pinnedAccount(producer);
  if (own === undefined) return [];
  const accounts =
    group.scope.kind === 'mesh'
      ? stageAccounts(mesh)
      : group.scope.domains.flatMap((name) => {
          const reader = findDomain(mesh, name);
          const account = reader && pinnedAccount(reader);
          return account ? [account] : [];
        });
  return [...new Set(accounts.filter((a) => a !== own))].sort();
}

/** Every account other than the producer's that reads some shared product of it (its `groups`), sorted. */
export function readerAccounts(mesh: Mesh, producer: MeshDomain, groups: readonly SharedGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => groupReaderAccounts(mesh, producer, g)))].sort();
}

/** Producers that live in another account than the consumer (both pinned, as every domain of a stage is). */
export function otherAccountProducers(consumer: MeshDomain, producers: readonly MeshDomain[]): MeshDomain[] {
  const own = pinnedAccount(consumer);
  return own === undefined ? [] : producers.filter((p) => pinnedAccount(p) !== undefined && pinnedAccount(p) !== own);
}

/**
 * Name of the Athena data catalog a consumer registers for a producer in another account (type GLUE, the
 * producer's account as catalog id): the producer's database name, so a query reads
 * `"acme_sales"."acme_sales"."orders_v1"`. One per producer and consumer account; a stage with several
 * accounts holds one domain per account, so no two stacks register it in one account.
 */
export function dataCatalogName(mesh: Mesh, producer: string): string {
  return domainNames(mesh.config, producer).database;
}

/** ARN of that data catalog in the consumer's account, with placeholders the consumer's stack fills. */
export function dataCatalogArn(mesh: Mesh, producer: string): string {
  return `arn:${PARTITION_PLACEHOLDER}:athena:${REGION_PLACEHOLDER}:${ACCOUNT_PLACEHOLDER}:datacatalog/${dataCatalogName(mesh, producer)}`;
}

export const accountRoot = (account: string) => `arn:${PARTITION_PLACEHOLDER}:iam::${account}:root`;

/** Only the mesh's roles (producer, consumer, execution) of the trusted accounts; the fences narrow further. */
function meshRolesOnly(mesh: Mesh): PolicyStatementJson['Condition'] {
  return { ArnLike: { 'aws:PrincipalArn': meshRolePatterns(mesh.config) } };
}

/**
 * The data bucket's Allow for other accounts: reads and listings of the product area. Private products,
 * other groups' products and listings outside a version prefix stay denied by the fences, which apply to every
 * principal; so the Allow stays one constant-size statement plus one account root per reader account.
 */
export function bucketCrossAccountStatements(
  mesh: Mesh,
  producer: MeshDomain,
  groups: readonly SharedGroup[],
  bucketArn: string,
): PolicyStatementJson[] {
  const accounts = readerAccounts(mesh, producer, groups);
  if (accounts.length === 0) return [];
  return [
    {
      Sid: 'AllowReadsFromReaderAccounts',
      Effect: 'Allow',
      Principal: { AWS: accounts.map(accountRoot) },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [bucketArn, `${bucketArn}/products/*`],
      Condition: meshRolesOnly(mesh),
    },
  ];
}

/**
 * The key's Allow for other accounts: decryption of what S3 reads from the data bucket, for the mesh's roles
 * of the reader accounts. The key fences keep it to the products' readers and the data bucket's context.
 */
export function keyCrossAccountStatements(
  mesh: Mesh,
  producer: MeshDomain,
  groups: readonly SharedGroup[],
  dataBucketArn: string,
  s3Service: string,
): PolicyStatementJson[] {
  const accounts = readerAccounts(mesh, producer, groups);
  if (accounts.length === 0) return [];
  return [
    {
      Sid: 'AllowDecryptFromReaderAccounts',
      Effect: 'Allow',
      Principal: { AWS: accounts.map(accountRoot) },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ...meshRolesOnly(mesh),
        StringEquals: { 'kms:ViaService': s3Service },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [dataBucketArn, `${dataBucketArn}/*`] },
      },
    },
  ];
}

/**
 * Cross-account mistakes of a loaded mesh, reported on the consumer's product file (its `inputs`) or the
 * domain file:
 * - an input from a domain in another account in a mesh without stages (no account list to grant from);
 * - an input from another region (Athena reads a Glue catalog of its own region only);
 * - in a stage spanning several accounts, two domains in one account: grants across accounts name accounts,
 *   so an account holds one domain (a stage may also put every domain in one account).
 */
export function crossAccountProblems(mesh: Mesh): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const edge of mesh.edges) {
    const consumer = findDomain(mesh, edge.consumer.domain);
    const producer = findDomain(mesh, edge.producer.domain);
    if (!consumer || !producer || consumer === producer) continue;
    const [from, to] = [producer.definition.env, consumer.definition.env];
    if (!from || !to) continue;
    const input = edge.consumer.definition.inputs.findIndex((i) => i.startsWith(`${edge.producer.id}@`));
    const where = { file: edge.consumer.file, path: input >= 0 ? `inputs[${input}]` : 'inputs' };
    if (from.region !== to.region) {
      problems.push({
        ...where,
        message: `${edge.producer.id} lives in ${from.region} and ${consumer.name} in ${to.region}: Athena queries a Glue catalog of its own region only; read it from a domain in ${from.region}, or place both domains in one region`,
      });
    } else if (from.account !== to.account && !mesh.config.stage) {
      problems.push({
        ...where,
        message: `${edge.producer.id} lives in account ${from.account} and ${consumer.name} in ${to.account}: reads across accounts need the accounts listed in cdk.json (context.mesh.stages.<stage>.accounts); define a stage, or pin both domains to one account`,
      });
    }
  }
  const accounts = stageAccounts(mesh);
  if (accounts.length > 1) {
    const holder = new Map<string, string>();
    for (const domain of mesh.domains) {
      const account = pinnedAccount(domain);
      if (!account) continue;
      const other = holder.get(account);
      if (other) {
        problems.push({
          file: domain.file,
          path: `accounts.${mesh.config.stage}.account`,
          message: `account ${account} already holds domain ${other} in stage "${mesh.config.stage}": in a stage with several accounts each domain has its own (grants across accounts name accounts, so two domains in one account could read each other's shared products); give ${domain.name} its own account and list it in cdk.json, or put every domain of the stage in one account`,
        });
      } else holder.set(account, domain.name);
    }
  }
  return problems;
}
