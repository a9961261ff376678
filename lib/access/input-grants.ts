/**
 * What a domain's roles need to read their inputs — exactly the product versions its products declare,
 * nothing more — as compact IAM statements. Other domains' resources are addressed by derived names
 * (lib/mesh/naming), never by references to their stacks.
 */
import { inboundEdgesOf, type Mesh, type MeshDomain, type MeshProduct } from '../mesh/model';
import { arns, domainNames, productVersionNames, renderName } from '../mesh/naming';
import { dataCatalogArn, otherAccountProducers } from './cross-account';
import { domainEnv, PARTITION_PLACEHOLDER, URL_SUFFIX_PLACEHOLDER } from './env';
import type { PolicyStatementJson } from './policy-json';

/** Actions a reader needs on a table and the catalog objects above it (Athena and Glue clients). */
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'];

/** One product version another domain's product reads. */
export interface InputRead {
  readonly producer: MeshDomain;
  readonly product: MeshProduct;
  readonly major: number;
}

/** Product versions of other domains the domain's products read, once each, in a stable order. */
export function inputReadsOf(mesh: Mesh, domain: MeshDomain): InputRead[] {
  const reads = new Map<string, InputRead>();
  for (const edge of inboundEdgesOf(mesh, domain.name)) {
    const producer = mesh.domains.find((d) => d.name === edge.producer.domain) as MeshDomain;
    reads.set(`${edge.producer.id}@${edge.major}`, { producer, product: edge.producer, major: edge.major });
  }
  return sortReads([...reads.values()]);
}

/** Reads in a stable order: producer domain, product, major. */
export function sortReads(reads: InputRead[]): InputRead[] {
  return reads.sort(
    (a, b) => compare(a.producer.name, b.producer.name) || compare(a.product.name, b.product.name) || a.major - b.major,
  );
}

/** Name of the n-th (1-based) managed policy holding a domain's input grants, e.g. `acme-sales-inputs-1`. */
export function inputPolicyName(mesh: Mesh, domain: string, n: number): string {
  return `${mesh.config.prefix}-${domain.replace(/_/g, '-')}-inputs-${n}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Physical names and ARNs of a producer domain, as seen from any other stack. */
export type ProducerAddress = ReturnType<typeof producerAddress>;

export function producerAddress(mesh: Mesh, producer: MeshDomain) {
  const env = domainEnv(producer);
  const names = domainNames(mesh.config, producer.name);
  const bucket = renderName(names.dataBucket, env);
  const p = PARTITION_PLACEHOLDER;
  return {
    domain: producer.name,
    env,
    names,
    /** Prefixes of every live product version of the domain. */
    livePrefixes: new Set(
      producer.products.flatMap((p) => p.versions.map((v) => productVersionNames(p.name, v.major).prefix)),
    ),
    bucket,
    bucketArn: arns.bucket(p, bucket),
    objectsArn: (prefix: string) => arns.objects(p, bucket, prefix),
    catalogArn: arns.glueCatalog(p, env.region, env.account),
    databaseArn: arns.glueDatabase(p, env.region, env.account, names.database),
    tableArn: (table: string) => arns.glueTable(p, env.region, env.account, names.database, table),
    keysArn: `arn:${p}:kms:${env.region}:${env.account}:key/*`,
    s3Service: `s3.${env.region}.${URL_SUFFIX_PLACEHOLDER}`,
  };
}

/**
 * Statements granting the domain's roles read access to its inputs:
 * - objects: `s3:GetObject` on each input's version prefix, one statement for all producers;
 * - listing: `s3:ListBucket` on each producer bucket, limited by `s3:prefix` to the versions read there;
 * - catalog: Glue reads on the exact catalog, database and table ARNs;
 * - keys: `kms:Decrypt` through S3 only, on the key that carries the producer's alias (the key ARN is random,
 *   the alias is derived), one statement per account and region.
 * `s3:GetBucketLocation` (a bucket's region, which Athena asks for) on the pattern of the mesh's data buckets.
 */
export function inputGrantStatements(mesh: Mesh, domain: MeshDomain): PolicyStatementJson[] {
  return readStatements(mesh, inputReadsOf(mesh, domain), domain);
}

/**
 * The statements of inputGrantStatements for any set of product versions (e.g. one product's inputs) read by
 * `consumer`'s roles. Producers in another account are queried through an Athena data catalog the consumer
 * registers for each (`athena:GetDataCatalog` on it).
 */
export function readStatements(mesh: Mesh, reads: readonly InputRead[], consumer: MeshDomain): PolicyStatementJson[] {
  if (reads.length === 0) return [];
  const producers = [...new Map(reads.map((r) => [r.producer.name, r.producer])).values()];
  const addresses = new Map(producers.map((p) => [p.name, producerAddress(mesh, p)]));
  const addressOf = (producer: MeshDomain) => addresses.get(producer.name)!;
  const at = (read: InputRead) => addressOf(read.producer);
  const versionNames = (read: InputRead) => productVersionNames(read.product.name, read.major);

  const statements: PolicyStatementJson[] = [
    {
      Sid: 'ReadInputObjects',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: reads.map((r) => at(r).objectsArn(versionNames(r).prefix)),
    },
    {
      Sid: 'ReadInputCatalog',
      Effect: 'Allow',
      Action: GLUE_READ_ACTIONS,
      Resource: unique([
        ...catalogResources(producers.map(addressOf)),
        ...producers.map((p) => addressOf(p).databaseArn),
        ...reads.map((r) => at(r).tableArn(versionNames(r).table)),
      ]),
    },
    {
      // Only tells where a bucket lives (its region), so one pattern over the mesh's data buckets is enough.
      Sid: 'LocateInputBuckets',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: arns.bucket(
        PARTITION_PLACEHOLDER,
        renderName(domainNames(mesh.config, '*').dataBucket, { account: '*', region: '*' }),
      ),
    },
  ];
  statements.push(...listStatements(reads, producers.map(addressOf)));
  const remote = otherAccountProducers(consumer, producers);
  if (remote.length > 0) {
    statements.push({
      Sid: 'UseInputCatalogs',
      Effect: 'Allow',
      Action: 'athena:GetDataCatalog',
      Resource: remote.map((p) => dataCatalogArn(mesh, p.name)),
    });
  }

  // One statement per region: producers in several accounts share it through aws:ResourceAccount, so a
  // consumer of a hundred accounts' products does not pay a statement per account.
  const keysByRegion = new Map<string, { addresses: ProducerAddress[]; aliases: string[] }>();
  for (const producer of producers) {
    const a = addressOf(producer);
    const group = keysByRegion.get(a.env.region) ?? { addresses: [], aliases: [] };
    group.addresses.push(a);
    group.aliases.push(a.names.keyAlias);
    keysByRegion.set(a.env.region, group);
  }
  [...keysByRegion.values()].forEach((group, i) => {
    const accounts = unique(group.addresses.map((a) => a.env.account));
    const [first] = group.addresses;
    statements.push({
      Sid: `DecryptInputsViaS3${i === 0 ? '' : i + 1}`,
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: accounts.length === 1 ? first.keysArn : `arn:${PARTITION_PLACEHOLDER}:kms:${first.env.region}:*:key/*`,
      Condition: {
        StringEquals: {
          'kms:ViaService': first.s3Service,
          ...(accounts.length === 1 ? {} : { 'aws:ResourceAccount': accounts }),
        },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': group.aliases },
      },
    });
  });
  return statements;
}

/**
 * `s3:ListBucket` on each producer bucket, limited by `s3:prefix` to the versions read there. A condition
 * cannot tie a prefix to a bucket, so buckets share one statement only where that grants nothing more: no
 * bucket in it holds a live version at a shared prefix that it is not read at. The others get a statement
 * per set of prefixes. (A same-named product added later stays behind its producer's bucket fence.)
 */
/** Producer buckets per shared ListBucket statement. */
const LIST_CHUNK = 10;

function listStatements(reads: readonly InputRead[], producers: readonly ProducerAddress[]): PolicyStatementJson[] {
  const readAt = new Map(producers.map((p) => [p.domain, new Set<string>()]));
  for (const r of reads) readAt.get(r.producer.name)?.add(productVersionNames(r.product.name, r.major).prefix);
  const prefixesOf = (p: ProducerAddress) => [...(readAt.get(p.domain) ?? [])];

  let shared = [...producers];
  for (;;) {
    const union = new Set(shared.flatMap(prefixesOf));
    const colliding = shared.filter((p) =>
      [...p.livePrefixes].some((x) => union.has(x) && !readAt.get(p.domain)?.has(x)),
    );
    if (colliding.length === 0) break;
    shared = shared.filter((p) => !colliding.includes(p));
  }

  // Shared buckets go in chunks, each with only its own buckets' prefixes, so cutting a policy at a chunk
  // boundary never repeats the whole prefix list.
  const groups: { buckets: string[]; prefixes: string[] }[] = [];
  for (let i = 0; i < shared.length; i += LIST_CHUNK) {
    const chunk = shared.slice(i, i + LIST_CHUNK);
    groups.push({ buckets: chunk.map((p) => p.bucketArn), prefixes: [...new Set(chunk.flatMap(prefixesOf))] });
  }
  const bySet = new Map<string, { buckets: string[]; prefixes: string[] }>();
  for (const p of producers.filter((x) => !shared.includes(x))) {
    const prefixes = prefixesOf(p);
    const group = bySet.get(prefixes.join()) ?? { buckets: [], prefixes };
    group.buckets.push(p.bucketArn);
    bySet.set(prefixes.join(), group);
  }
  groups.push(...bySet.values());
  return groups.map(({ buckets, prefixes }) => ({
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: buckets,
    Condition: { StringLike: { 's3:prefix': prefixes.map((x) => `${x}*`) } },
  }));
}

/**
 * Catalog ARNs of the producers: each one's, or per region one for every account when producers live in
 * several (a catalog grant alone reaches nothing: every read also needs the database and table ARNs).
 */
function catalogResources(producers: readonly ProducerAddress[]): string[] {
  const byRegion = new Map<string, ProducerAddress[]>();
  for (const p of producers) byRegion.set(p.env.region, [...(byRegion.get(p.env.region) ?? []), p]);
  return [...byRegion].flatMap(([region, inRegion]) =>
    new Set(inRegion.map((p) => p.env.account)).size > 1
      ? [arns.glueCatalog(PARTITION_PLACEHOLDER, region, '*')]
      : inRegion.map((p) => p.catalogArn),
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
