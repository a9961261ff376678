/**
 * Physical names of a domain's and a product's resources. Everything is addressed by name (never by a
 * cross-stack reference), so a domain stack deploys alone and a product in a nested stack needs no parameters.
 */
import { Aws } from 'aws-cdk-lib';

const kebab = (snake: string) => snake.replace(/_/g, '-');

/** Where names are rendered: the deploying account and region (pseudo parameters), or literal values for sizing. */
export interface Env {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly urlSuffix: string;
}

export const DEPLOY_ENV: Env = {
  partition: Aws.PARTITION,
  account: Aws.ACCOUNT_ID,
  region: Aws.REGION,
  urlSuffix: Aws.URL_SUFFIX,
};

/** `domain_000` → `Domain000`, for stack names and construct ids. */
export function pascal(snake: string): string {
  return snake
    .split(/[_-]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

export interface DomainNames {
  readonly stackName: string;
  readonly database: string;
  readonly workgroup: string;
  readonly dataBucket: string;
  readonly resultsBucket: string;
  readonly logsBucket: string;
  readonly producerRole: string;
  readonly consumerRole: string;
  readonly keyAlias: string;
  readonly runtimeKeyAlias: string;
  readonly alertsTopic: string;
  readonly logGroup: string;
  readonly schedulerRole: string;
  readonly scheduleGroup: string;
  /** Every state machine (and alarm) name of the domain starts with it. */
  readonly stateMachinePrefix: string;
  /** Every execution role name of the domain starts with it. */
  readonly executionRolePrefix: string;
  readonly metricNamespace: string;
}

export function domainNames(prefix: string, domain: string, env: Env = DEPLOY_ENV): DomainNames {
  const base = `${prefix}-${kebab(domain)}`;
  const scoped = (what: string) => `${base}-${what}-${env.account}-${env.region}`;
  return {
    stackName: `Mesh-${pascal(domain)}`,
    database: `${prefix}_${domain}`,
    workgroup: base,
    dataBucket: scoped('data'),
    resultsBucket: scoped('athena'),
    logsBucket: scoped('logs'),
    producerRole: `${base}-producer`,
    consumerRole: `${base}-consumer`,
    keyAlias: `alias/${prefix}/${kebab(domain)}`,
    runtimeKeyAlias: `alias/${prefix}/${kebab(domain)}/runtime`,
    alertsTopic: `${base}-alerts`,
    logGroup: `/aws/vendedlogs/states/${base}`,
    schedulerRole: `${base}-scheduler`,
    scheduleGroup: base,
    stateMachinePrefix: `${base}.`,
    executionRolePrefix: `${base}.run.`,
    metricNamespace: `DataMesh/${prefix}`,
  };
}

export interface ProductNames {
  readonly table: string;
  /** Key prefix of the product's data in the domain bucket. */
  readonly prefix: string;
  readonly stagingTable: string;
  readonly stagingPrefix: string;
  readonly stateMachine: string;
  readonly executionRole: string;
  readonly schedule: string;
}

export function productNames(domain: DomainNames, product: string, major: number): ProductNames {
  const run = `${kebab(product)}-v${major}`;
  return {
    table: `${product}_v${major}`,
    prefix: `products/${product}/v${major}/`,
    stagingTable: `${product}_v${major}__staging`,
    stagingPrefix: `staging/${product}/v${major}/`,
    stateMachine: `${domain.stateMachinePrefix}${run}`,
    executionRole: `${domain.executionRolePrefix}${run}`,
    schedule: run,
  };
}

/** ARN of a resource in the deploying account and region. */
export function arn(service: string, resource: string, env: Env = DEPLOY_ENV): string {
  return `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource}`;
}

/** ARN of an S3 bucket or of keys in it. */
export function s3Arn(bucketAndKey: string, env: Env = DEPLOY_ENV): string {
  return `arn:${env.partition}:s3:::${bucketAndKey}`;
}

/** ARN pattern of roles named `name` (may contain `*`) in any account of the partition, or in this one. */
export function roleArn(name: string, anyAccount = false): string {
  return `arn:${Aws.PARTITION}:iam::${anyAccount ? '*' : Aws.ACCOUNT_ID}:role/${name}`;
}
