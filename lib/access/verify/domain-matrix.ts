/**
 * The part of the access matrix about a domain's storage beyond its product versions: the key's use for the
 * data bucket and for Athena results, the results bucket and the access-log bucket. What the definitions
 * grant: a domain's own roles (execution roles included) write and read their query results (Athena writes them as the calling role)
 * and use the key for them; the roles of a domain reading any of its products decrypt what S3 reads from its
 * data bucket (a build's execution role: those of its product's inputs); nobody reads, writes or deletes logs but S3 log delivery, which writes them for the domain's
 * own buckets in the domain's account only. Nothing grants deleting results: they expire.
 */
import type { Mesh, MeshDomain } from '../../mesh/model';
import { arns, domainNames, renderName } from '../../mesh/naming';
import { partitionOf } from '../env';
import { S3_ENCRYPTION_CONTEXT, S3_LOG_DELIVERY } from '../producer-fences';
import { type AccessCheck, type ConcreteEnv, concreteEnvOf, type DomainAccessKind, type RoleRef } from './checks';

/** An object key Athena would write a query's results under (the workgroup's output location is the bucket root). */
const RESULT_KEY = '00000000-0000-4000-8000-000000000000.csv';
/** An object key S3 would deliver a data bucket log under (the data bucket logs with prefix `data/`). */
const LOG_KEYS = {
  dataBucket: 'data/2026-12-01-00-00-00-0000000000000000',
  resultsBucket: 'athena-results/2026-12-01-00-00-00-0000000000000000',
};

/** Where one domain's storage is, concretely. */
interface DomainStorage {
  readonly domain: MeshDomain;
  readonly env: ConcreteEnv & { partition: string };
  readonly dataBucketArn: string;
  readonly resultsBucketArn: string;
  readonly logsBucketArn: string;
  readonly keyAliasArn: string;
  /** `kms:ViaService` of S3 in the domain's region. */
  readonly s3Service: string;
}

function storageOf(mesh: Mesh, domain: MeshDomain, fallback: ConcreteEnv): DomainStorage {
  const env = concreteEnvOf(domain, fallback);
  const names = domainNames(mesh.config, domain.name);
  const bucketArn = (template: string) => arns.bucket(env.partition, renderName(template, env));
  return {
    domain,
    env,
    dataBucketArn: bucketArn(names.dataBucket),
    resultsBucketArn: bucketArn(names.resultsBucket),
    logsBucketArn: bucketArn(names.logsBucket),
    keyAliasArn: arns.keyAlias(env.partition, env.region, env.account, names.keyAlias),
    s3Service: `s3.${env.region}.${partitionOf(env.region).urlSuffix}`,
  };
}

/** The S3 log delivery service, as the requester of `deliver-logs` checks for one domain. */
function logDelivery(storage: DomainStorage): RoleRef {
  return {
    domain: storage.domain.name,
    kind: 'service',
    name: S3_LOG_DELIVERY,
    arn: S3_LOG_DELIVERY,
    account: storage.env.account,
  };
}

/** An account other than every account of the mesh, to check log delivery for another account's bucket. */
function foreignAccount(storages: readonly DomainStorage[]): string {
  const taken = new Set(storages.map((s) => s.env.account));
  for (let n = 9; ; n--) {
    const candidate = String(n).repeat(12);
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Every role × every domain × each requested kind, plus, for `deliver-logs`, S3 log delivery into each
 * domain's log bucket for its own data and results buckets (allowed), another domain's data bucket and its
 * own data bucket claimed by another account (both refused).
 */
export function domainStorageChecks(
  mesh: Mesh,
  roles: readonly RoleRef[],
  kinds: ReadonlySet<string>,
  fallback: ConcreteEnv,
): AccessCheck[] {
  const storages = mesh.domains.map((d) => storageOf(mesh, d, fallback));
  const keyReaders = new Set(mesh.edges.map((e) => `${e.consumer.domain}|${e.producer.domain}`));
  // A build's execution role decrypts what it reads: the producers of its own product's inputs.
  const productKeyReaders = new Set(mesh.edges.map((e) => `${e.consumer.id}|${e.producer.domain}`));
  const readsKeyOf = (role: RoleRef, domain: string) =>
    role.kind === 'execution'
      ? role.run === 'build' && productKeyReaders.has(`${(role.product ?? '').split('@')[0]}|${domain}`)
      : keyReaders.has(`${role.domain}|${domain}`);
  const checks: AccessCheck[] = [];
  const want = (kind: DomainAccessKind) => kinds.has(kind);

  for (const role of roles) {
    for (const s of storages) {
      const own = role.domain === s.domain.name;
      const base = { role, target: s.domain.name, owner: s.domain.name, resourceAccount: s.env.account };
      const key = (kind: DomainAccessKind, action: string, bucketArn: string, expected: boolean): AccessCheck => ({
        ...base,
        kind,
        action,
        resource: s.keyAliasArn,
        context: { 'kms:ViaService': s.s3Service, [S3_ENCRYPTION_CONTEXT]: bucketArn },
        expected,
      });
      const object = (kind: DomainAccessKind, action: string, resource: string, expected: boolean): AccessCheck => ({
        ...base,
        kind,
        action,
        resource,
        context: {},
        expected,
      });
      const result = `${s.resultsBucketArn}/${RESULT_KEY}`;
      const log = `${s.logsBucketArn}/${LOG_KEYS.dataBucket}`;
      // S3 uses a bucket key, so the key cannot be narrowed per product: a domain reading any product decrypts.
      if (want('decrypt-key'))
        checks.push(key('decrypt-key', 'kms:Decrypt', s.dataBucketArn, own || readsKeyOf(role, s.domain.name)));
      if (want('read-results')) checks.push(object('read-results', 's3:GetObject', result, own));
      if (want('write-results')) checks.push(object('write-results', 's3:PutObject', result, own));
      if (want('delete-results')) checks.push(object('delete-results', 's3:DeleteObject', result, false));
      if (want('decrypt-results')) checks.push(key('decrypt-results', 'kms:Decrypt', s.resultsBucketArn, own));
      if (want('encrypt-results')) checks.push(key('encrypt-results', 'kms:GenerateDataKey', s.resultsBucketArn, own));
      if (want('read-logs')) checks.push(object('read-logs', 's3:GetObject', log, false));
      if (want('write-logs')) checks.push(object('write-logs', 's3:PutObject', log, false));
      if (want('delete-logs')) checks.push(object('delete-logs', 's3:DeleteObject', log, false));
    }
  }

  if (want('deliver-logs')) {
    const foreign = foreignAccount(storages);
    storages.forEach((s, i) => {
      const other = storages[(i + 1) % storages.length];
      const delivery = (source: string, sourceAccount: string, key: string, expected: boolean): AccessCheck => ({
        role: logDelivery(s),
        kind: 'deliver-logs',
        target: s.domain.name,
        owner: s.domain.name,
        action: 's3:PutObject',
        resource: `${s.logsBucketArn}/${key}`,
        resourceAccount: s.env.account,
        context: { 'aws:SourceArn': source, 'aws:SourceAccount': sourceAccount },
        expected,
      });
      checks.push(
        delivery(s.dataBucketArn, s.env.account, LOG_KEYS.dataBucket, true),
        delivery(s.resultsBucketArn, s.env.account, LOG_KEYS.resultsBucket, true),
        delivery(s.dataBucketArn, foreign, LOG_KEYS.dataBucket, false),
      );
      if (other !== s) checks.push(delivery(other.dataBucketArn, other.env.account, LOG_KEYS.dataBucket, false));
    });
  }
  return checks;
}
