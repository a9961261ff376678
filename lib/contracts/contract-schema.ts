/**
 * The published contract of one product major version, as recorded in lock files. These zod schemas are the
 * single source of truth for the lock format: the types below are inferred from them, `contractOf` builds
 * values of them from definitions, and the lock reader parses committed files with them.
 */
import { parse } from 'semver';
import { z } from 'zod';
import {
  ClassificationSchema,
  DescriptionSchema,
  IsoDateSchema,
  PartitionProjectionSchema,
  QualityRuleSchema,
  SlaSchema,
  STORAGE_FORMATS,
} from '../definition/schema';

/** A version the `semver` package reads exactly as written (no `v` prefix, no leading zeros, no build part). */
const semverText = z.string().refine((s) => parse(s)?.version === s, {
  message: 'must be a semantic version such as 1.2.0',
});
const PRODUCT_ID = /^[a-z][a-z0-9_]*\/[a-z][a-z0-9_]*$/;

/** Value constraints a column promises, gathered from the quality rules that state them. */
export const ColumnConstraintsSchema = z.strictObject({
  /** Every value is one of these (acceptedValues rules; several rules intersect). */
  acceptedValues: z.array(z.union([z.string(), z.number()])).optional(),
  /** Numeric bounds (range rules; several rules keep the tightest bounds). */
  range: z
    .strictObject({
      min: z.number().optional(),
      max: z.number().optional(),
      /** Bounds are exclusive. */
      exclusive: z.boolean(),
    })
    .optional(),
  /** Regular expressions every value matches (pattern rules), sorted. */
  patterns: z.array(z.string().min(1)).min(1).optional(),
  /** Inclusive text length bounds (length rules; several rules keep the tightest bounds). */
  length: z
    .strictObject({
      min: z.number().int().nonnegative().optional(),
      max: z.number().int().positive().optional(),
    })
    .optional(),
});
export type ColumnConstraints = z.infer<typeof ColumnConstraintsSchema>;

/** One column as published. */
export const ContractColumnSchema = z.strictObject({
  name: z.string().min(1),
  /** Glue/Hive spelling, normalized (no spaces), e.g. `decimal(12,2)`. */
  type: z.string().min(1),
  required: z.boolean(),
  unique: z.boolean(),
  primaryKey: z.boolean(),
  /** Effective classification: the column's own, or the product's. */
  classification: ClassificationSchema,
  pii: z.boolean(),
  description: z.string().optional(),
  /**
   * Partition projection settings, or `true` for an iceberg table's identity partition; the key order is the
   * version's `partitionKeys`.
   */
  partition: z.union([z.literal(true), PartitionProjectionSchema]).optional(),
  constraints: ColumnConstraintsSchema.optional(),
});
export type ContractColumn = z.infer<typeof ContractColumnSchema>;

/** The contract of one major version: everything consumers may rely on, nothing deploy-specific. */
export const ContractVersionSchema = z.strictObject({
  major: z.number().int().nonnegative(),
  /** Full semantic version published for this major. */
  version: semverText,
  /** Last day an earlier major is served; absent for the current major. */
  sunset: IsoDateSchema.optional(),
  /** Glue table name in the domain's database. */
  table: z.string().min(1),
  /** Key prefix in the domain's data bucket, e.g. `products/orders/v2/`. */
  location: z.string().min(1),
  format: z.enum(STORAGE_FORMATS),
  /** Classification of the product as a whole. */
  classification: ClassificationSchema,
  /** Partition columns in key order. */
  partitionKeys: z.array(z.string()),
  columns: z.array(ContractColumnSchema).min(1),
  description: DescriptionSchema,
  tags: z.array(z.string()),
  sla: SlaSchema.optional(),
  /** Quality rules of the current major; earlier majors publish none (the definition keeps rules for the current schema only). */
  quality: z.array(QualityRuleSchema),
});
export type ContractVersion = z.infer<typeof ContractVersionSchema>;

/** A locked major: the contract, its content hash, and whether the major has been retired. */
export const LockedVersionSchema = ContractVersionSchema.extend({
  /** The major left the definition after its sunset; kept so its number (and data prefix) is never reused. */
  retired: z.literal(true).optional(),
  /** `sha256:<hex>` of the canonical JSON of the contract fields (everything but `retired` and `hash`). */
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, { message: 'must be "sha256:" followed by 64 hex digits' }),
});
export type LockedVersion = z.infer<typeof LockedVersionSchema>;

export const LOCK_FORMAT_VERSION = 1;

/** A `<product>.contract.lock.json` file. */
export const LockFileSchema = z.strictObject({
  /** Reminder for readers of the file. */
  $comment: z.string().optional(),
  lockVersion: z.literal(LOCK_FORMAT_VERSION),
  /** `<domain>/<product>`; must match the file's place. */
  product: z.string().regex(PRODUCT_ID, { message: 'must be "<domain>/<product>"' }),
  /**
   * The product's status when it is on its way out (`deprecated` or `retired`); absent while it is live.
   * With a `sunset` that has passed, the lock is a tombstone: the product file may be gone (MESH-CON-005).
   */
  status: z.enum(['deprecated', 'retired']).optional(),
  /** Last day the product is served, as its definition's `sunset` said when it was locked. */
  sunset: IsoDateSchema.optional(),
  /** One entry per major ever published, ascending. */
  majors: z.array(LockedVersionSchema).min(1, { message: 'a lock records at least one major' }),
});
export type LockFile = z.infer<typeof LockFileSchema>;
