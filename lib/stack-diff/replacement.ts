/**
 * Which resources hold data, and which of their properties CloudFormation cannot change in place. A change to
 * one of these properties makes CloudFormation create a new resource and delete the old one (for a KMS key,
 * refuse the update): for a bucket, key, database, table or log group that is data lost or orphaned.
 *
 * The table covers the stateful types the platform creates (and log groups). Top-level properties follow the
 * CloudFormation resource specification ("Update requires: Replacement"; a test checks them against the
 * specification the CDK CLI ships). Nested paths are the names inside Glue's input structures: Glue cannot
 * rename a database or table, so a new name is a new resource.
 */

export interface StatefulType {
  /** What the resource holds, for messages. */
  readonly holds: string;
  /** Property paths (dot-separated below the top level) whose change replaces the resource. */
  readonly replacedBy: readonly string[];
  /** Path of the physical name, when the platform names it: two resources with one name cannot coexist. */
  readonly name?: string;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  'AWS::S3::Bucket': {
    holds: 'objects',
    replacedBy: ['BucketName', 'BucketNamePrefix', 'BucketNamespace', 'ObjectLockEnabled'],
    name: 'BucketName',
  },
  // KeySpec, KeyUsage, MultiRegion and Origin cannot change on an existing key: CloudFormation fails the
  // update rather than replace the key, which would make everything encrypted under it unreadable.
  'AWS::KMS::Key': {
    holds: 'the key that decrypts the data',
    replacedBy: ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
  },
  'AWS::Glue::Database': {
    holds: 'table definitions',
    replacedBy: ['CatalogId', 'DatabaseName', 'DatabaseInput.Name'],
    name: 'DatabaseInput.Name',
  },
  'AWS::Glue::Table': {
    holds: 'the schema, partitions and location of a product version',
    replacedBy: ['CatalogId', 'DatabaseName', 'Name', 'TableInput.Name'],
    name: 'TableInput.Name',
  },
  'AWS::Logs::LogGroup': { holds: 'log events', replacedBy: ['LogGroupName'], name: 'LogGroupName' },
  'AWS::Athena::WorkGroup': { holds: 'query history and saved queries', replacedBy: ['Name'], name: 'Name' },
  'AWS::DynamoDB::Table': {
    holds: 'items',
    replacedBy: ['TableName', 'KeySchema', 'ImportSourceSpecification'],
    name: 'TableName',
  },
};

export function isStateful(type: string): boolean {
  return type in STATEFUL_TYPES;
}

/** The replacement paths of a type: the table's for stateful types, none known for the others. */
export function replacementPaths(type: string): readonly string[] {
  return STATEFUL_TYPES[type]?.replacedBy ?? [];
}

/** The physical name a resource sets, when its type has one in the table. */
export function physicalName(type: string, properties: Readonly<Record<string, unknown>> | undefined): unknown {
  const path = STATEFUL_TYPES[type]?.name;
  return path === undefined ? undefined : valueAt(properties, path);
}

/** The value at a dot-separated path of a resource's properties. */
export function valueAt(properties: Readonly<Record<string, unknown>> | undefined, path: string): unknown {
  let value: unknown = properties;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
