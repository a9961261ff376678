/**
 * The definition language: zod schemas for domain and product files. These schemas are the single source
 * of truth — TypeScript types are inferred from them, the loader parses every file with them, and the
 * ODCS export and the catalog read what they produce.
 */
import { z } from 'zod';
import { CONCEPT_REGISTRY } from '../policies/concepts';
import { ALLOWED_COLUMN_TYPES, ColumnTypeError, parseColumnType } from './column-type';
import { inheritConcept } from './concept-columns';
import { DURATION_PATTERN_TEXT, parseDuration } from './duration';
import { INTERVAL_UNITS } from './partition-projection';

/** snake_case identifier Athena and Glue accept: lowercase letters, digits, underscore; starts with a letter. */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `<domain>/<product>@<major>`, e.g. `sales/orders@1`. */
export const INPUT_REFERENCE = /^([a-z][a-z0-9_]*)\/([a-z][a-z0-9_]*)@(\d+)$/;

const snakeCaseName = (what: string) =>
  z
    .string()
    .regex(SNAKE_CASE, { message: `${what} must be snake_case: lowercase letters, digits and single underscores` })
    .max(64, { message: `${what} must be at most 64 characters` });

const nonEmptyText = z.string().trim().min(1, { message: 'must not be empty' });

/**
 * A calendar day written YYYY-MM-DD. zod's ISO date check knows month lengths and leap years, so 2027-02-30
 * is refused instead of rolling over to March 2 as `Date.parse` would.
 */
export const IsoDateSchema = z
  .string()
  .regex(ISO_DATE, { message: 'must be a date written YYYY-MM-DD' })
  .pipe(z.iso.date({ message: 'must be a real calendar date' }));

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  return IsoDateSchema.safeParse(text).success;
}

const isoDate = IsoDateSchema;

const duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: `must be a duration such as "26 hours", "7 days" or "3 years" (${DURATION_PATTERN_TEXT})`,
});

const columnTypeText = z.string().superRefine((text, ctx) => {
  try {
    parseColumnType(text);
  } catch (err) {
    if (!(err instanceof ColumnTypeError)) throw err;
    ctx.addIssue({ code: 'custom', message: `${err.message} (allowed: ${ALLOWED_COLUMN_TYPES})` });
  }
});

/** Data classification, lowest to highest sensitivity. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const ClassificationSchema = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof ClassificationSchema>;

/** A code owner as CODEOWNERS names one: `@org/team`, `@user` or an e-mail address. */
export const CODE_OWNER =
  /^(@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

export const OwnerSchema = z.strictObject({
  /** Team that answers for the data. */
  team: nonEmptyText,
  /** Team mailbox; personal addresses go stale. */
  email: z.email({ message: 'must be an email address' }),
  /**
   * Who reviews changes to the team's files, as CODEOWNERS names them (`@acme/sales-data`); `npx mesh
   * codeowners` writes them into CODEOWNERS.
   * @default the team mailbox (`email`)
   */
  codeowners: z
    .array(z.string().regex(CODE_OWNER, { message: 'must be a GitHub team (@org/team), a user (@user) or an e-mail' }))
    .min(1, { message: 'must name at least one code owner' })
    .optional(),
});
export type Owner = z.infer<typeof OwnerSchema>;

export const SupportChannelSchema = z.strictObject({
  /** Kind of channel. */
  channel: z.enum(['email', 'slack', 'teams', 'ticket', 'other']),
  /** Where to reach it: a URL or an address. */
  url: nonEmptyText,
  /** What the channel is for (questions, incidents, announcements). */
  purpose: z.string().optional(),
});

export type SupportChannel = z.infer<typeof SupportChannelSchema>;

/** A governance exception, declared next to what it excuses. */
export const PolicyExceptionSchema = z.strictObject({
  /** Rule id, e.g. `MESH-PROD-004`. */
  rule: z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, { message: 'must be a rule id such as MESH-S3-001' }),
  /** Narrows the exception to one finding of the rule, e.g. `Action::s3:*`; all findings when absent. */
  finding: z.string().min(1).optional(),
  /** Why the rule does not apply here; read by auditors. */
  reason: z.string().trim().min(20, { message: 'must explain the exception in at least 20 characters' }),
  /** Who in the governance guild approved it. */
  approvedBy: nonEmptyText,
  /** Last day the exception holds (YYYY-MM-DD); an expired exception is an error. */
  expires: isoDate,
});
export type PolicyException = z.infer<typeof PolicyExceptionSchema>;

/** Partition projection: how Athena enumerates partitions without a crawler. */
export const PartitionProjectionSchema = z.discriminatedUnion(
  'projection',
  [
    z.strictObject({
      projection: z.literal('date'),
      /**
       * `start,end`, inclusive: each a date written in `format` or `NOW[+-]<n><unit>`, e.g. `NOW-3YEARS,NOW` or
       * `2020-01-01,NOW` (checked as Athena reads it: lib/definition/partition-projection.ts).
       */
      range: nonEmptyText,
      /** Java date format of the partition value, e.g. `yyyy-MM-dd`. */
      format: nonEmptyText.default('yyyy-MM-dd'),
      /** Step between partitions. */
      interval: z.number().int().positive().default(1),
      /** Unit of the step; not finer than the format writes (a `yyyy-MM-dd` format steps in DAYS or coarser). */
      unit: z.enum(INTERVAL_UNITS).default('DAYS'),
    }),
    z.strictObject({
      projection: z.literal('integer'),
      /** Inclusive bounds, e.g. `[0, 99]`. */
      range: z.tuple([z.number().int(), z.number().int()]),
      /** Left-pad values to this many digits. */
      digits: z.number().int().positive().optional(),
    }),
    z.strictObject({
      projection: z.literal('enum'),
      /** Every partition value; keep short (Glue table metadata is capped near 1 MB). */
      values: z
        .array(
          z
            .string()
            .min(1)
            .regex(/^[^,]+$/, { message: 'enum values cannot contain commas' }),
        )
        .min(1),
    }),
    z.strictObject({
      /** Value must be given in every query's WHERE clause. */
      projection: z.literal('injected'),
    }),
  ],
  {
    error: () =>
      'a partition column needs projection settings: { projection: "date", range } | { projection: "integer", range } | { projection: "enum", values } | { projection: "injected" }',
  },
);
export type PartitionProjection = z.infer<typeof PartitionProjectionSchema>;

export const ColumnSchema = z
  .strictObject({
    /** Column name as Athena sees it: snake_case. */
    name: snakeCaseName('column name'),
    /**
     * Column type, e.g. `bigint`, `decimal(14,2)`, `array<struct<sku:string,qty:int>>`.
     * @default the type of the column's `concept`
     */
    type: columnTypeText.optional(),
    /**
     * A shared concept of the governance guild (lib/policies/concepts.ts) the column means, e.g. `customer_id`:
     * the column inherits its type and description, and its pattern is checked as a quality rule.
     */
    concept: z.string().min(1).optional(),
    /** ISO 4217 currency of an amount whose concept needs one, when the product has no currency_code column. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as EUR' })
      .optional(),
    /** What the column means, for consumers. @default the description of the column's `concept` */
    description: z.string().optional(),
    /** The column always has a value. */
    required: z.boolean().default(false),
    /** No two rows share a value. */
    unique: z.boolean().default(false),
    /** Part of the primary key. */
    primaryKey: z.boolean().default(false),
    /** Column classification; defaults to the product's. */
    classification: ClassificationSchema.optional(),
    /** Personal data (GDPR/CCPA): the product must name its consumers and their purpose. */
    pii: z.boolean().default(false),
    /**
     * Makes this a partition column. A Hive-style table (parquet, json, csv) needs partition projection settings;
     * an Iceberg table writes `true` (identity partitioning, no projection).
     */
    partition: z.union([z.literal(true), PartitionProjectionSchema]).optional(),
    /** Example values for documentation and sample data. */
    examples: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  // A concept's type and description fill in what the column leaves out; a contradiction is a problem.
  .transform((column, ctx) => inheritConcept(column, CONCEPT_REGISTRY, ctx));
export type Column = z.infer<typeof ColumnSchema>;

/**
 * Storage of the files under the product's prefix. `iceberg` is an Apache Iceberg table over Parquet files:
 * the format of products the platform builds, because a run publishes with one atomic MERGE.
 */
export const STORAGE_FORMATS = ['parquet', 'json', 'csv', 'iceberg'] as const;

export const ProductSchemaSchema = z.strictObject({
  /** Columns in storage order; partition columns are marked with `partition`. */
  columns: z.array(ColumnSchema).min(1, { message: 'a product needs at least one column' }),
  /** Storage format of the files under the product's prefix. */
  format: z.enum(STORAGE_FORMATS).default('parquet'),
});
export type ProductSchemaDefinition = z.infer<typeof ProductSchemaSchema>;

const thresholdShape = {
  /** The measured value must equal this. */
  mustBe: z.number().optional(),
  /** The measured value must be below this. */
  mustBeLessThan: z.number().optional(),
  /** The measured value must be above this. */
  mustBeGreaterThan: z.number().optional(),
  /** Inclusive bounds for the measured value. */
  mustBeBetween: z.tuple([z.number(), z.number()]).optional(),
  /** Whether the measured value counts rows or is a percent of all rows. */
  unit: z.enum(['rows', 'percent']).optional(),
  /** What the rule protects, shown in reports. */
  description: z.string().optional(),
};

const column = snakeCaseName('column');

export const QualityRuleSchema = z.discriminatedUnion(
  'rule',
  [
    z.strictObject({ rule: z.literal('rowCount'), ...thresholdShape }),
    z.strictObject({ rule: z.literal('notNull'), column, ...thresholdShape }),
    z.strictObject({ rule: z.literal('nullValues'), column, ...thresholdShape }),
    z.strictObject({
      rule: z.literal('unique'),
      /** One column, or several for a composite key. */
      column: column.optional(),
      columns: z.array(column).min(2).optional(),
      ...thresholdShape,
    }),
    z.strictObject({
      rule: z.literal('acceptedValues'),
      column,
      values: z.array(z.union([z.string(), z.number()])).min(1),
      ...thresholdShape,
    }),
    z.strictObject({
      rule: z.literal('range'),
      column,
      min: z.number().optional(),
      max: z.number().optional(),
      /** Bounds are exclusive when true. */
      exclusive: z.boolean().default(false),
      ...thresholdShape,
    }),
    z.strictObject({ rule: z.literal('pattern'), column, pattern: nonEmptyText, ...thresholdShape }),
    z.strictObject({
      rule: z.literal('length'),
      column,
      min: z.number().int().nonnegative().optional(),
      max: z.number().int().positive().optional(),
      ...thresholdShape,
    }),
    z.strictObject({
      rule: z.literal('freshness'),
      column,
      /** Newest row must be at most this old. */
      within: duration,
      description: z.string().optional(),
    }),
    z.strictObject({
      rule: z.literal('sql'),
      /** Output name of the check, snake_case. */
      name: snakeCaseName('sql rule name'),
      /** One read-only SELECT returning one number; `{table}` stands for the product's table. */
      query: nonEmptyText,
      ...thresholdShape,
    }),
  ],
  {
    error: () =>
      'unknown quality rule (allowed: rowCount, notNull, nullValues, unique, acceptedValues, range, pattern, length, freshness, sql)',
  },
);
export type QualityRule = z.infer<typeof QualityRuleSchema>;

export const SlaSchema = z.strictObject({
  /** How often new data lands. */
  updateFrequency: z.enum(['realtime', 'hourly', 'daily', 'weekly', 'monthly', 'on-demand']),
  /** Newest data is at most this old, measured on `column`. */
  freshness: z
    .strictObject({
      within: duration,
      /** Timestamp or date column the age is measured on. */
      column,
    })
    .optional(),
  /** How long data is kept, e.g. "7 years". */
  retention: duration,
  /** Hours in which incidents are answered, e.g. "business hours" or "24x7". */
  supportHours: z.string().optional(),
});
export type Sla = z.infer<typeof SlaSchema>;

export const ConsumerSchema = z.strictObject({
  /** Consumer domain name. */
  domain: snakeCaseName('consumer domain'),
  /** Why it reads the product; required for PII and restricted products. */
  purpose: z.string().trim().min(1).optional(),
});

export const AccessSchema = z.strictObject({
  /** `domain`: only the owning domain; `consumers`: the listed domains; `mesh`: every domain. */
  visibility: z.enum(['domain', 'consumers', 'mesh']).default('domain'),
  /** Domains allowed to read, each with a purpose. */
  consumers: z.array(ConsumerSchema).default([]),
});
export type Access = z.infer<typeof AccessSchema>;

export const PreviousVersionSchema = z.strictObject({
  /** Last published version of that major, e.g. `1.4.0`. */
  version: z.string().regex(SEMVER, { message: 'must be a semantic version such as 1.4.0' }),
  /** Last day the major is served; consumers are warned 30 days ahead. */
  sunset: isoDate,
  /** The schema that major was published with; its table and prefix stay deployed until the sunset. */
  schema: ProductSchemaSchema,
});
export type PreviousVersion = z.infer<typeof PreviousVersionSchema>;

export const DescriptionSchema = z.strictObject({
  /** Why the product exists. */
  purpose: nonEmptyText,
  /** How to use it well. */
  usage: z.string().optional(),
  /** What it cannot be used for. */
  limitations: z.string().optional(),
});

/** How a run of a build writes the product. */
export const BUILD_MODES = ['full-refresh', 'partition-overwrite', 'append'] as const;
export type BuildMode = (typeof BUILD_MODES)[number];

/**
 * How the platform builds a derived product: one SELECT over its declared inputs, on a schedule, written
 * write-audit-publish (staged, checked, then merged into the product table; failed data is never published).
 */
export const BuildSchema = z.strictObject({
  /**
   * One SELECT whose output columns are the product's columns. Inputs are written `{input:<domain>/<product>@<major>}`
   * (each must be in `inputs`); `{run_date}` is the date the run builds (a DATE). Portable SQL: it runs on Athena
   * (Trino) when deployed and in DuckDB for `mesh build --local` and validation.
   */
  sql: nonEmptyText,
  /** An EventBridge Scheduler expression: `rate(1 day)`, `cron(0 3 * * ? *)`. */
  schedule: nonEmptyText,
  /** IANA time zone the schedule's cron fields are read in. */
  timezone: z.string().min(1).default('UTC'),
  /**
   * How a run writes: `full-refresh` replaces every row, `partition-overwrite` replaces the partitions the run
   * produced, `append` adds rows whose primary key is new. Every mode merges on the primary key, so re-running
   * the same period never duplicates rows.
   */
  mode: z.enum(BUILD_MODES),
  /** Longest a run may take before it is stopped and alarmed. */
  timeout: duration.default('1 hour'),
});
export type Build = z.infer<typeof BuildSchema>;

/** Scheduled checks of a product the platform does not build (e.g. a source-aligned product written by a system). */
export const MonitorSchema = z.strictObject({
  /**
   * When its quality rules and freshness are checked: an EventBridge Scheduler expression.
   * @default derived from `sla.updateFrequency` (hourly → every hour, daily → every day at 06:00 UTC, …)
   */
  schedule: nonEmptyText.optional(),
  /** Set to false to deploy no schedule, state machine or alarms for this product. */
  enabled: z.boolean().default(true),
});
export type Monitor = z.infer<typeof MonitorSchema>;

/** An input's personal data this product does not carry on. */
export const RemovedPersonalDataSchema = z.strictObject({
  /** The input it comes from, as `inputs` names it: `<domain>/<product>@<major>`. */
  input: z.string().regex(INPUT_REFERENCE, {
    message: 'must reference an input as "<domain>/<product>@<major>", e.g. "customers/customer_profiles@1"',
  }),
  /** The input's personal or restricted columns. */
  columns: z.array(snakeCaseName('column')).min(1, { message: 'must name at least one column' }),
  /**
   * `dropped`: neither the schema nor the build SQL uses the column. `pseudonymized`: the build SQL uses it
   * only inside a one-way hash (sha256, sha512, md5, hmac_sha256 …), so the output cannot be read back.
   */
  how: z.enum(['dropped', 'pseudonymized']),
});
export type RemovedPersonalData = z.infer<typeof RemovedPersonalDataSchema>;

/**
 * A governance decision that this product need not carry its inputs' protection: e.g. an aggregate whose
 * groups are large enough that nobody is identified. Approved like an exception: by an approver of the
 * governance registry outside the domain, until a day at most the guild's maximum away.
 */
export const DeclassificationSchema = z.strictObject({
  /** The sensitive inputs it covers. @default every sensitive input */
  inputs: z
    .array(
      z.string().regex(INPUT_REFERENCE, {
        message: 'must reference an input as "<domain>/<product>@<major>", e.g. "customers/customer_profiles@1"',
      }),
    )
    .optional(),
  /** Why the output identifies nobody; read by auditors. */
  reason: z.string().trim().min(20, { message: 'must explain the declassification in at least 20 characters' }),
  /** Who in the governance guild approved it. */
  approvedBy: nonEmptyText,
  /** Last day it holds (YYYY-MM-DD). */
  expires: isoDate,
});
export type Declassification = z.infer<typeof DeclassificationSchema>;

/** Personal data: who the data is about, and what the product does with its inputs' personal data. */
export const PrivacySchema = z.strictObject({
  /**
   * Columns that identify the data subject (a person), e.g. `customer_id`: what an erasure request names.
   * A product with personal data (pii columns) declares at least one.
   */
  subjectKeys: z.array(snakeCaseName('subject key')).default([]),
  /** Personal or restricted columns of sensitive inputs that this product drops or pseudonymizes. */
  removes: z.array(RemovedPersonalDataSchema).default([]),
  /** An approved decision that the product need not be as protected as its sensitive inputs. */
  declassification: DeclassificationSchema.optional(),
});
export type Privacy = z.infer<typeof PrivacySchema>;

export const ProductDefinitionSchema = z.strictObject({
  /** snake_case, equal to the file name. */
  name: snakeCaseName('product name'),
  /** Semantic version of the contract; a breaking change needs a new major. */
  version: z.string().regex(SEMVER, { message: 'must be a semantic version such as 1.2.0' }),
  /** Human-readable title; defaults to the name. */
  title: z.string().optional(),
  description: DescriptionSchema,
  /** Data mesh archetype. */
  archetype: z.enum(['source-aligned', 'aggregate', 'consumer-aligned']),
  /** Lifecycle state; retired products keep their data but accept no new consumers. */
  status: z.enum(['draft', 'active', 'deprecated', 'retired']).default('active'),
  /**
   * Last day a deprecated (or retired) product is served; consumers are warned 30 days ahead. Once it has
   * passed and the lock records it, the product file may be removed (see MESH-CON-005).
   */
  sunset: isoDate.optional(),
  tags: z.array(z.string().min(1)).default([]),
  /** Owning team; defaults to the domain's owner. */
  owner: OwnerSchema.optional(),
  /** Support channels; default to the domain's. */
  support: z.array(SupportChannelSchema).optional(),
  /** Classification of the product as a whole; columns may be stricter. Defaults to the domain's default. */
  classification: ClassificationSchema.optional(),
  schema: ProductSchemaSchema,
  sla: SlaSchema.optional(),
  quality: z.array(QualityRuleSchema).default([]),
  access: AccessSchema.default({ visibility: 'domain', consumers: [] }),
  /** Products this one is built from: `<domain>/<product>@<major>`. */
  inputs: z
    .array(
      z.string().regex(INPUT_REFERENCE, {
        message: 'must reference a product as "<domain>/<product>@<major>", e.g. "sales/orders@1"',
      }),
    )
    .default([]),
  /** How the platform builds the product from its inputs (derived products); see BuildSchema. */
  build: BuildSchema.optional(),
  /** Scheduled checks and freshness monitoring of a product the platform does not build. */
  monitor: MonitorSchema.optional(),
  /** Earlier majors still served beside the current one. */
  previousVersions: z.array(PreviousVersionSchema).default([]),
  /** Personal data: subject keys, what is removed from sensitive inputs, an approved declassification. */
  privacy: PrivacySchema.optional(),
  /** Approved exceptions to governance rules. */
  exceptions: z.array(PolicyExceptionSchema).default([]),
});
export type ProductDefinition = z.infer<typeof ProductDefinitionSchema>;
export type ProductDefinitionInput = z.input<typeof ProductDefinitionSchema>;

/** An AWS account and region. */
export const DomainEnvSchema = z.strictObject({
  account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as eu-west-1' }),
});

export const DomainDefinitionSchema = z.strictObject({
  /** snake_case, equal to the folder name under domains/. */
  name: snakeCaseName('domain name').max(24, {
    message: 'domain name must be at most 24 characters (it is part of bucket and role names)',
  }),
  /** Human-readable title; defaults to the name. */
  title: z.string().optional(),
  /** What the domain is responsible for. */
  description: nonEmptyText,
  /** Default owner of the domain's products. */
  owner: OwnerSchema,
  /** Default support channels of the domain's products. */
  support: z.array(SupportChannelSchema).default([]),
  /** Cost center every resource is tagged with. */
  costCenter: nonEmptyText,
  /** Where the stack deploys; environment-agnostic (CLI credentials decide) when absent. Meshes without stages. */
  env: DomainEnvSchema.optional(),
  /**
   * Where the stack deploys in each stage of a mesh with stages (cdk.json:context.mesh.stages), by stage name:
   * `{ dev: { account, region }, prod: { account, region } }`.
   */
  accounts: z.record(z.string(), DomainEnvSchema).optional(),
  /** Defaults for the domain's products. */
  defaults: z
    .strictObject({
      /** Classification of products that do not set one. */
      classification: ClassificationSchema.default('internal'),
    })
    .default({ classification: 'internal' }),
  /** Athena workgroup settings. */
  athena: z
    .strictObject({
      /** Per-query scan limit in bytes (Athena's minimum is 10 MB). */
      bytesScannedCutoffPerQuery: z
        .number()
        .int()
        .min(10_000_000, { message: 'must be at least 10,000,000 bytes (Athena minimum)' })
        .default(100_000_000_000),
      /** Days query results are kept. */
      resultRetentionDays: z.number().int().min(1).max(365).default(30),
    })
    .default({ bytesScannedCutoffPerQuery: 100_000_000_000, resultRetentionDays: 30 }),
  /**
   * Number of nested stacks the domain's products are spread over. Unset lets the platform choose from the
   * product count; set it once a domain is large, so growth never moves products between nested stacks.
   */
  productShards: z.number().int().min(1).max(64).optional(),
  /** Approved exceptions that apply to domain-level resources. */
  exceptions: z.array(PolicyExceptionSchema).default([]),
});
export type DomainDefinition = z.infer<typeof DomainDefinitionSchema>;
export type DomainDefinitionInput = z.input<typeof DomainDefinitionSchema>;
