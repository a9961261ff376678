/**
 * The producer's side of Glue reads across accounts: statements of the Glue Data Catalog resource policy that
 * let the reader accounts' mesh roles read exactly the tables shared with them.
 *
 * Why the catalog resource policy and not Lake Formation: the mesh's access model is IAM (identity grants and
 * resource-policy fences), which a catalog policy extends with the same kind of statement, is evaluated with
 * the same engine offline, and leaves nothing to accept on the consumer's side. Lake Formation cross-account
 * grants go through AWS RAM shares (invitations outside an organization, resource links in the consumer
 * account, 1,000 RAM shares per account) and switch the tables to Lake Formation permissions — run-time state
 * that drifts from the definitions, the breakage users of share workflows report. The catalog policy has one
 * cost: it is one document per account and region, at most 10,240 bytes. Each domain stack therefore owns only
 * its statements in it (Sids `Mesh<Prefix>D<Domain>Read<n>`), merged in place by a custom resource
 * (catalog-policy-handler/index.js) that keeps every other statement, and the statements are sized here so a
 * definition that would not fit fails synth with the number and the limit.
 */
import type { Mesh, MeshDomain } from '../mesh/model';
import { pascalCase, productVersionNames } from '../mesh/naming';
import type { DefinitionProblem } from '../mesh/problems';
import { accountRoot, groupReaderAccounts } from './cross-account';
import { fillPlaceholders, sizingValues } from './env';
import { GLUE_READ_ACTIONS, producerAddress } from './input-grants';
import { type PolicyStatementJson, policyBytes, policyDocument } from './policy-json';
import { meshRolePatterns } from './principals';
import { sharedGroups } from './producer-fences';

/** Bytes of a Glue Data Catalog resource policy (one per account and region). */
export const GLUE_CATALOG_POLICY_BYTES = 10_240;
/** Room kept for statements others put in the same catalog policy (another stage, Lake Formation's). */
export const GLUE_CATALOG_POLICY_RESERVED_BYTES = 1_024;

/** Glue reads a reader in another account needs: those of its identity grants, and single partitions. */
export const GLUE_CROSS_ACCOUNT_READ_ACTIONS = [...GLUE_READ_ACTIONS, 'glue:GetPartition'];

/** Start of the Sids a domain owns in its account's catalog policy, e.g. `MeshAcmeDSales`. */
export function catalogPolicyOwner(mesh: Mesh, domain: string): string {
  return `Mesh${pascalCase(mesh.config.prefix)}D${pascalCase(domain)}`;
}

/**
 * The domain's statements, one per group of products shared with the same readers that has readers in other
 * accounts: those accounts' roots, narrowed to the mesh's roles, on the catalog, the database and exactly the
 * tables of the group's live versions. Empty when no other account reads the domain.
 */
export function catalogPolicyStatements(mesh: Mesh, producer: MeshDomain): PolicyStatementJson[] {
  const address = producerAddress(mesh, producer);
  const owner = catalogPolicyOwner(mesh, producer.name);
  const statements: PolicyStatementJson[] = [];
  for (const group of sharedGroups(producer)) {
    const accounts = groupReaderAccounts(mesh, producer, group);
    if (accounts.length === 0) continue;
    const tables = group.products.flatMap((name) => {
      const product = producer.products.find((p) => p.name === name);
      return (product?.versions ?? []).map((v) => address.tableArn(productVersionNames(name, v.major).table));
    });
    statements.push({
      Sid: `${owner}Read${statements.length + 1}`,
      Effect: 'Allow',
      Principal: { AWS: accounts.map(accountRoot) },
      Action: GLUE_CROSS_ACCOUNT_READ_ACTIONS,
      Resource: [address.catalogArn, address.databaseArn, ...tables],
      Condition: { ArnLike: { 'aws:PrincipalArn': meshRolePatterns(mesh.config) } },
    });
  }
  return statements;
}

/** Bytes the domain's statements take in the catalog policy, with the reserve; and a problem when over. */
export function catalogPolicySize(mesh: Mesh, producer: MeshDomain): { bytes: number; problem?: DefinitionProblem } {
  const statements = catalogPolicyStatements(mesh, producer);
  if (statements.length === 0) return { bytes: 0 };
  const bytes =
    policyBytes(fillPlaceholders(policyDocument(statements), sizingValues(producer))) +
    GLUE_CATALOG_POLICY_RESERVED_BYTES;
  if (bytes <= GLUE_CATALOG_POLICY_BYTES) return { bytes };
  return {
    bytes,
    problem: {
      file: producer.file,
      path: '',
      message:
        `the Glue catalog policy statements of domain "${producer.name}" would reach ${bytes} bytes; Glue allows ` +
        `${GLUE_CATALOG_POLICY_BYTES} per account and region. Each group of products shared with the same consumer ` +
        `domains costs a statement naming every table version and every reader account (${statements.length} statements); ` +
        `give products the same consumer list, or visibility "mesh"`,
    },
  };
}
