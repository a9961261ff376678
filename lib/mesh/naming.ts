/**
 * Every physical name in the mesh, derived deterministically from the definitions. Other domains' resources
 * are addressed through these names — never through cross-stack references — so any domain stack deploys on
 * its own. Names are checked against AWS's rules here, so a bad name is a definition error, not a failed deploy.
 */
import type { MeshConfig } from './config';

/** Placeholders in names that contain the account or region; filled in by the stack (literal or pseudo parameter). */
export const ACCOUNT_PLACEHOLDER = '{account}';
export const REGION_PLACEHOLDER = '{region}';
/** Longest values the placeholders can take, for length checks before the environment is known. */
const ACCOUNT_LENGTH = 12;
const LONGEST_REGION_LENGTH = 16;

export interface DomainNames {
  /** CloudFormation stack name, e.g. `Mesh-Sales`, or `Mesh-Dev-Sales` in stage dev. */
  readonly stackName: string;
  /** Data bucket, with account and region placeholders. */
  readonly dataBucket: string;
  /** Athena query results bucket. */
  readonly resultsBucket: string;
  /** S3 server access logs bucket. */
  readonly logsBucket: string;
  /** Glue database. */
  readonly database: string;
  /** Athena workgroup. */
  readonly workgroup: string;
  /** Role that writes the domain's products. */
  readonly producerRole: string;
  /** Role that reads the domain's products and its granted inputs. */
  readonly consumerRole: string;
  /** KMS key alias. */
  readonly keyAlias: string;
}

export interface ProductVersionNames {
  /** Glue table, e.g. `orders_v1`. */
  readonly table: string;
  /** Key prefix in the domain's data bucket, e.g. `products/orders/v1/`. */
  readonly prefix: string;
}

export function pascalCase(snake: string): string {
  return snake
    .split(/[_-]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

function kebab(snake: string): string {
  return snake.replace(/_/g, '-');
}

export function domainNames(config: MeshConfig, domain: string): DomainNames {
  const p = config.prefix;
  const d = kebab(domain);
  const scoped = `${ACCOUNT_PLACEHOLDER}-${REGION_PLACEHOLDER}`;
  return {
    // A stage is in the stack name so stages may share an account: `Mesh-Dev-Sales` beside `Mesh-Prod-Sales`.
    stackName: config.stage ? `Mesh-${pascalCase(config.stage)}-${pascalCase(domain)}` : `Mesh-${pascalCase(domain)}`,
    dataBucket: `${p}-${d}-data-${scoped}`,
    resultsBucket: `${p}-${d}-athena-${scoped}`,
    logsBucket: `${p}-${d}-logs-${scoped}`,
    database: `${p}_${domain}`,
    workgroup: `${p}-${d}`,
    producerRole: `${p}-${d}-producer`,
    consumerRole: `${p}-${d}-consumer`,
    keyAlias: `alias/${p}/${d}`,
  };
}

export function productVersionNames(product: string, major: number): ProductVersionNames {
  return { table: `${product}_v${major}`, prefix: `products/${product}/v${major}/` };
}

/** Fills the account and region placeholders. */
export function renderName(template: string, env: { account: string; region: string }): string {
  return template.split(ACCOUNT_PLACEHOLDER).join(env.account).split(REGION_PLACEHOLDER).join(env.region);
}

/** A violated naming rule: which name, and why. */
export interface NamingViolation {
  readonly what: string;
  readonly name: string;
  readonly message: string;
}

function worstCaseLength(template: string): number {
  return renderName(template, {
    account: 'x'.repeat(ACCOUNT_LENGTH),
    region: 'x'.repeat(LONGEST_REGION_LENGTH),
  }).length;
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const IAM_ROLE = /^[\w+=,.@-]+$/;
const GLUE_NAME = /^[a-z0-9_]+$/;
const WORKGROUP = /^[a-zA-Z0-9._-]+$/;
const KMS_ALIAS = /^alias\/[a-zA-Z0-9/_-]+$/;

/** Checks the domain's names against S3, IAM, Glue, Athena and KMS rules (REFERENCE.md). */
export function checkDomainNames(names: DomainNames): NamingViolation[] {
  const violations: NamingViolation[] = [];
  const check = (what: string, name: string, ok: boolean, message: string) => {
    if (!ok) violations.push({ what, name, message });
  };
  for (const [what, name] of [
    ['data bucket', names.dataBucket],
    ['Athena results bucket', names.resultsBucket],
    ['access logs bucket', names.logsBucket],
  ] as const) {
    const length = worstCaseLength(name);
    check(what, name, length <= 63, `S3 bucket names are at most 63 characters; this one can reach ${length}`);
    check(
      what,
      name,
      S3_BUCKET.test(renderName(name, { account: '0', region: 'a' })),
      'S3 bucket names allow lowercase letters, digits, "." and "-"',
    );
  }
  for (const [what, name] of [
    ['producer role', names.producerRole],
    ['consumer role', names.consumerRole],
  ] as const) {
    check(what, name, name.length <= 64, `IAM role names are at most 64 characters; this one has ${name.length}`);
    check(what, name, IAM_ROLE.test(name), 'IAM role names allow letters, digits and +=,.@-');
  }
  check(
    'Glue database',
    names.database,
    names.database.length <= 255 && GLUE_NAME.test(names.database),
    'Glue database names allow lowercase letters, digits and "_", at most 255',
  );
  check(
    'Athena workgroup',
    names.workgroup,
    names.workgroup.length <= 128 && WORKGROUP.test(names.workgroup),
    'Athena workgroup names allow letters, digits and ._-, at most 128',
  );
  check(
    'KMS alias',
    names.keyAlias,
    names.keyAlias.length <= 256 && KMS_ALIAS.test(names.keyAlias) && !names.keyAlias.startsWith('alias/aws/'),
    'KMS aliases allow letters, digits and /_-, at most 256, not under alias/aws/',
  );
  check(
    'CloudFormation stack',
    names.stackName,
    names.stackName.length <= 128 && /^[A-Za-z][A-Za-z0-9-]*$/.test(names.stackName),
    'stack names allow letters, digits and "-", at most 128',
  );
  return violations;
}

/** Checks a product version's table name and prefix. */
export function checkProductVersionNames(names: ProductVersionNames): NamingViolation[] {
  const violations: NamingViolation[] = [];
  if (names.table.length > 255 || !GLUE_NAME.test(names.table)) {
    violations.push({
      what: 'Glue table',
      name: names.table,
      message: 'Glue table names allow lowercase letters, digits and "_", at most 255',
    });
  }
  return violations;
}

/** ARN builders for resources of any domain, from names alone. */
export const arns = {
  bucket: (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`,
  objects: (partition: string, bucket: string, prefix: string) => `arn:${partition}:s3:::${bucket}/${prefix}*`,
  glueCatalog: (partition: string, region: string, account: string) =>
    `arn:${partition}:glue:${region}:${account}:catalog`,
  glueDatabase: (partition: string, region: string, account: string, database: string) =>
    `arn:${partition}:glue:${region}:${account}:database/${database}`,
  glueTable: (partition: string, region: string, account: string, database: string, table: string) =>
    `arn:${partition}:glue:${region}:${account}:table/${database}/${table}`,
  workgroup: (partition: string, region: string, account: string, workgroup: string) =>
    `arn:${partition}:athena:${region}:${account}:workgroup/${workgroup}`,
  role: (partition: string, account: string, role: string) => `arn:${partition}:iam::${account}:role/${role}`,
  keyAlias: (partition: string, region: string, account: string, alias: string) =>
    `arn:${partition}:kms:${region}:${account}:${alias}`,
};
