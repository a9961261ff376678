/**
 * Where an ODCS contract says the data lives (servers) and who may touch it (roles), from the deterministic
 * names of the platform. A domain's `env` fills account and region; a domain without one deploys wherever the
 * CLI credentials point, so its names keep the `{account}` and `{region}` placeholders unless the exporter
 * says where it is deployed.
 */
import type { Mesh, MeshDomain, MeshProduct, ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames, renderName } from '../mesh/naming';

/** Catalog Athena reads Glue tables through. */
const ATHENA_CATALOG = 'awsdatacatalog';

/** An AWS account and region. */
export interface DeployEnv {
  readonly account: string;
  readonly region: string;
}

/** Where the domain's stack is deployed: its pinned `env`, else `fallback`, else unknown until deploy. */
export function deployEnvOf(domain: MeshDomain, fallback?: DeployEnv): DeployEnv | undefined {
  return domain.definition.env ?? fallback;
}

/** Servers of a major; `fallback` places domains that pin no `env`. */
export function odcsServers(
  mesh: Mesh,
  domain: MeshDomain,
  product: MeshProduct,
  version: ProductVersion,
  fallback?: DeployEnv,
): Record<string, unknown>[] {
  const names = domainNames(mesh.config, domain.name);
  const env = deployEnvOf(domain, fallback);
  const resolve = (template: string) => (env ? renderName(template, env) : template);
  const { prefix, table } = productVersionNames(product.name, version.major);
  const dataBucket = resolve(names.dataBucket);
  const location = `s3://${dataBucket}/${prefix}`;
  const where = env
    ? `account ${env.account}, region ${env.region}`
    : 'account and region resolved at deploy ({account}, {region})';
  const servers: Record<string, unknown>[] = [
    {
      id: 's3',
      server: dataBucket,
      type: 's3',
      description: `Files of ${product.id} v${version.major} in the ${domain.name} data bucket (SSE-KMS); ${where}`,
      location,
      format: version.schema.format,
    },
    {
      id: 'athena',
      server: names.workgroup,
      type: 'athena',
      description: `Query table ${names.database}.${table} in the ${names.workgroup} workgroup; the workgroup enforces its own result location; ${where}`,
      schema: names.database,
      catalog: ATHENA_CATALOG,
      stagingDir: `s3://${resolve(names.resultsBucket)}/`,
      ...(env ? { regionName: env.region } : {}),
      customProperties: [
        { property: 'workgroup', value: names.workgroup },
        { property: 'table', value: table },
      ],
    },
  ];
  // Glue servers name the catalog's account, known only when the domain pins its environment.
  if (env) {
    servers.push({
      id: 'glue',
      server: `${names.database}.${table}`,
      type: 'glue',
      account: env.account,
      database: names.database,
      location,
      format: version.schema.format,
    });
  }
  return servers;
}

/** An IAM role with access to the data: `write` for the producer, `read` for consumers. */
export interface OdcsRole {
  readonly id: string;
  readonly role: string;
  readonly access: 'read' | 'write';
  readonly description: string;
}

/** Producer role writes, consumer roles read: the owning domain's, and those of domains that read this major. */
export function odcsRoles(mesh: Mesh, product: MeshProduct, version: ProductVersion): OdcsRole[] {
  const own = domainNames(mesh.config, product.domain);
  const roles: OdcsRole[] = [
    {
      id: 'producer',
      role: own.producerRole,
      access: 'write',
      description: `Writes the products of the ${product.domain} domain`,
    },
    {
      id: 'consumer',
      role: own.consumerRole,
      access: 'read',
      description: `Reads the products of the ${product.domain} domain and its granted inputs`,
    },
  ];
  const readers = new Map<string, string[]>();
  for (const edge of mesh.edges) {
    if (edge.producer !== product || edge.major !== version.major || edge.consumer.domain === product.domain) continue;
    readers.set(edge.consumer.domain, [...(readers.get(edge.consumer.domain) ?? []), edge.consumer.id]);
  }
  for (const [domain, consumers] of [...readers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    roles.push({
      id: `${domain}_consumer`,
      role: domainNames(mesh.config, domain).consumerRole,
      access: 'read',
      description: `Granted through the inputs of ${consumers.join(', ')}`,
    });
  }
  return roles;
}
