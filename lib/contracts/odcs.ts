/**
 * toOdcsContract(): one product major version as an Open Data Contract Standard v3.1.0 document. What ODCS
 * has no field for (archetype, visibility, inputs, sunset, partition projection) goes into customProperties.
 */
import { type ColumnType, odcsLogicalType, parseColumnType, renderGlueType } from '../definition/column-type';
import { durationSeconds, parseDuration } from '../definition/duration';
import type { Column } from '../definition/schema';
import { findDomain, type Mesh, type MeshDomain, type MeshProduct, type ProductVersion } from '../mesh/model';
import { domainNames, productVersionNames } from '../mesh/naming';
import { findConcept } from '../policies/concept-registry';
import { CONCEPT_REGISTRY } from '../policies/concepts';
import { constraintsFor } from './contract';
import type { ColumnConstraints } from './contract-schema';
import { type OdcsQuality, qualityColumn, qualityId, toOdcsQuality } from './odcs-quality';
import { type DeployEnv, deployEnvOf, type OdcsRole, odcsRoles, odcsServers } from './odcs-servers';

export const ODCS_API_VERSION = 'v3.1.0';

/** A key/value pair for what the standard lacks. */
export interface OdcsCustomProperty {
  readonly property: string;
  readonly value: unknown;
  readonly description?: string;
}

/** A link to where an element's meaning is defined (ODCS `authoritativeDefinitions`). */
export interface OdcsAuthoritativeDefinition {
  readonly type: string;
  readonly url: string;
  readonly description?: string;
}

/** An ODCS property (column, struct field or array item). */
export interface OdcsProperty {
  readonly name?: string;
  readonly logicalType?: string;
  readonly physicalType: string;
  readonly description?: string;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly primaryKey?: boolean;
  readonly primaryKeyPosition?: number;
  readonly partitioned?: boolean;
  readonly partitionKeyPosition?: number;
  readonly classification?: string;
  readonly logicalTypeOptions?: Record<string, unknown>;
  readonly examples?: readonly unknown[];
  readonly tags?: readonly string[];
  /** The shared concept the column references, as a business definition. */
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
  readonly items?: OdcsProperty;
  readonly properties?: readonly OdcsProperty[];
  readonly quality?: readonly OdcsQuality[];
  readonly customProperties?: readonly OdcsCustomProperty[];
}

/** The one schema object of a contract: the Glue table of the major. */
export interface OdcsSchemaObject {
  readonly name: string;
  /** Glue table name. */
  readonly physicalName: string;
  readonly physicalType: 'table';
  readonly logicalType: 'object';
  readonly businessName: string;
  readonly description: string;
  readonly properties: readonly OdcsProperty[];
  /** Table-level rules: row count, composite uniqueness, custom SQL. */
  readonly quality?: readonly OdcsQuality[];
  readonly customProperties: readonly OdcsCustomProperty[];
}

/** An ODCS v3.1.0 data contract, as plain data ready for YAML or JSON. */
export interface OdcsContract {
  readonly apiVersion: typeof ODCS_API_VERSION;
  readonly kind: 'DataContract';
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly status: string;
  readonly domain: string;
  readonly dataProduct: string;
  readonly tenant: string;
  readonly description: { purpose: string; usage?: string; limitations?: string };
  readonly tags: readonly string[];
  readonly team: { name: string; members: { username: string; role: string }[] };
  readonly support?: readonly Record<string, string>[];
  readonly schema: readonly OdcsSchemaObject[];
  readonly slaProperties?: readonly Record<string, unknown>[];
  readonly servers: readonly Record<string, unknown>[];
  readonly roles: readonly OdcsRole[];
  readonly customProperties: readonly OdcsCustomProperty[];
}

/** Options of an export. */
export interface OdcsExportOptions {
  /**
   * Account and region of domains that pin no `env`, so their server names are real addresses; a domain's
   * own `env` always wins.
   * @default none: names keep the `{account}` and `{region}` placeholders
   */
  readonly env?: DeployEnv;
}

/** The ODCS contract of one major `version` of `product`. */
export function toOdcsContract(
  mesh: Mesh,
  product: MeshProduct,
  version: ProductVersion,
  options: OdcsExportOptions = {},
): OdcsContract {
  const domain = findDomain(mesh, product.domain)!;
  const names = domainNames(mesh.config, domain.name);
  const table = productVersionNames(product.name, version.major).table;
  const definition = product.definition;
  // Quality rules are written against the current schema; earlier majors publish their schema only.
  const rules = version.current ? definition.quality : [];
  const qualified = `${names.database}.${table}`;
  const ids = new Set<string>();
  const quality = rules.map((rule) => ({
    column: qualityColumn(rule),
    entry: toOdcsQuality(rule, qualified, qualityId(rule, ids)),
  }));

  const pkColumns = version.schema.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const partitionColumns = version.schema.columns.filter((c) => c.partition).map((c) => c.name);
  const properties = version.schema.columns.map((column) =>
    columnProperty(column, {
      classification: column.classification ?? product.classification,
      constraints: constraintsFor(column.name, rules),
      primaryKeyPosition: pkColumns.indexOf(column.name) + 1,
      partitionKeyPosition: partitionColumns.indexOf(column.name) + 1,
      quality: quality.filter((q) => q.column === column.name).map((q) => q.entry),
    }),
  );
  const tableQuality = quality.filter((q) => q.column === undefined).map((q) => q.entry);
  const { purpose, usage, limitations } = definition.description;
  const support = product.support;

  return {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `${mesh.config.prefix}.${product.domain}.${product.name}.v${version.major}`,
    name: definition.title ?? product.name,
    version: version.version,
    status: version.current ? definition.status : 'deprecated',
    domain: product.domain,
    dataProduct: product.name,
    tenant: mesh.config.prefix,
    description: { purpose, ...(usage ? { usage } : {}), ...(limitations ? { limitations } : {}) },
    tags: [...definition.tags],
    team: { name: product.owner.team, members: [{ username: product.owner.email, role: 'owner' }] },
    ...(support.length > 0
      ? {
          support: support.map((s) => ({
            channel: s.channel,
            url: s.url,
            tool: s.channel,
            ...(s.purpose ? { description: s.purpose } : {}),
          })),
        }
      : {}),
    schema: [
      {
        name: product.name,
        physicalName: table,
        physicalType: 'table',
        logicalType: 'object',
        businessName: definition.title ?? product.name,
        description: purpose,
        properties,
        ...(tableQuality.length > 0 ? { quality: tableQuality } : {}),
        customProperties: [
          { property: 'format', value: version.schema.format },
          { property: 'database', value: names.database },
        ],
      },
    ],
    ...slaSection(product, version, table),
    servers: odcsServers(mesh, domain, product, version, options.env),
    roles: odcsRoles(mesh, product, version),
    customProperties: productCustomProperties(domain, product, version, deployEnvOf(domain, options.env)),
  };
}

interface ColumnContext {
  readonly classification: string;
  readonly constraints?: ColumnConstraints;
  /** 1-based; 0 when not part of the key. */
  readonly primaryKeyPosition: number;
  /** 1-based; 0 when not a partition column. */
  readonly partitionKeyPosition: number;
  readonly quality: readonly OdcsQuality[];
}

function columnProperty(column: Column, context: ColumnContext): OdcsProperty {
  const type = parseColumnType(column.type);
  const custom: OdcsCustomProperty[] = [];
  if (column.pii) custom.push({ property: 'pii', value: true });
  if (column.partition === true) custom.push({ property: 'partitionTransform', value: 'identity' });
  else if (column.partition) custom.push({ property: 'partitionProjection', value: { ...column.partition } });
  return {
    name: column.name,
    ...typeFields(type, context.constraints),
    ...(column.description ? { description: column.description } : {}),
    required: column.required,
    unique: column.unique,
    primaryKey: column.primaryKey,
    ...(context.primaryKeyPosition > 0 ? { primaryKeyPosition: context.primaryKeyPosition } : {}),
    ...(context.partitionKeyPosition > 0
      ? { partitioned: true, partitionKeyPosition: context.partitionKeyPosition }
      : {}),
    classification: context.classification,
    ...(column.examples ? { examples: [...column.examples] } : {}),
    ...(column.pii ? { tags: ['pii'] } : {}),
    ...conceptDefinition(column),
    ...(context.quality.length > 0 ? { quality: [...context.quality] } : {}),
    ...(custom.length > 0 ? { customProperties: custom } : {}),
  };
}

/** The concept a column references, linked where the guild documents it. */
function conceptDefinition(column: Column): Pick<OdcsProperty, 'authoritativeDefinitions'> {
  const concept = column.concept === undefined ? undefined : findConcept(CONCEPT_REGISTRY, column.concept);
  if (!concept) return {};
  return {
    authoritativeDefinitions: [
      {
        type: 'businessDefinition',
        url: `${CONCEPT_REGISTRY.documentationUrl}#${concept.name}`,
        description: `Shared concept ${concept.name}, owned by the ${concept.owner} domain: ${concept.description}`,
      },
    ],
  };
}

/** logicalType, physicalType, logicalTypeOptions, and nested items/properties for arrays and structs. */
function typeFields(type: ColumnType, constraints?: ColumnConstraints): OdcsProperty {
  const logicalType = odcsLogicalType(type);
  const options = logicalTypeOptions(type, constraints);
  const nested: Partial<OdcsProperty> =
    type.kind === 'array'
      ? { items: typeFields(type.items) }
      : type.kind === 'struct'
        ? { properties: type.fields.map((f) => ({ name: f.name, ...typeFields(f.type) })) }
        : {};
  return {
    ...(logicalType ? { logicalType } : {}),
    physicalType: renderGlueType(type),
    ...(options ? { logicalTypeOptions: options } : {}),
    ...nested,
  };
}

function logicalTypeOptions(type: ColumnType, constraints?: ColumnConstraints): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  const logical = odcsLogicalType(type);
  if (logical === 'string') {
    const maxLength = minOf(type.kind === 'varchar' ? type.length : undefined, constraints?.length?.max);
    if (constraints?.length?.min !== undefined) options.minLength = constraints.length.min;
    if (maxLength !== undefined) options.maxLength = maxLength;
    // JSON Schema holds one pattern; several are all listed as quality rules anyway.
    if (constraints?.patterns?.length === 1) options.pattern = constraints.patterns[0];
  }
  if ((logical === 'integer' || logical === 'number') && constraints?.range) {
    const { min, max, exclusive } = constraints.range;
    if (min !== undefined) options[exclusive ? 'exclusiveMinimum' : 'minimum'] = min;
    if (max !== undefined) options[exclusive ? 'exclusiveMaximum' : 'maximum'] = max;
  }
  if (logical === 'integer' && type.kind === 'primitive') options.format = type.name === 'bigint' ? 'i64' : 'i32';
  return Object.keys(options).length > 0 ? options : undefined;
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

const FREQUENCY: Record<string, { value: number; unit: string } | undefined> = {
  hourly: { value: 1, unit: 'hours' },
  daily: { value: 1, unit: 'days' },
  weekly: { value: 1, unit: 'weeks' },
  monthly: { value: 1, unit: 'months' },
};

function slaSection(product: MeshProduct, version: ProductVersion, table: string) {
  const sla = product.definition.sla;
  const properties: Record<string, unknown>[] = [];
  if (sla) {
    const freshness = sla.freshness;
    // The freshness column may not exist in an earlier major's schema.
    if (freshness && version.schema.columns.some((c) => c.name === freshness.column)) {
      const within = parseDuration(freshness.within)!;
      properties.push({
        property: 'latency',
        value: within.amount,
        unit: within.unit,
        element: `${table}.${freshness.column}`,
        description: `newest row is at most ${freshness.within} old (${durationSeconds(within)} s)`,
      });
    }
    const frequency = FREQUENCY[sla.updateFrequency];
    properties.push({
      property: 'frequency',
      ...(frequency ? { value: frequency.value, unit: frequency.unit } : { value: sla.updateFrequency }),
      description: `updated ${sla.updateFrequency}`,
    });
    const retention = parseDuration(sla.retention)!;
    properties.push({ property: 'retention', value: retention.amount, unit: retention.unit });
    if (sla.supportHours) properties.push({ property: 'supportHours', value: sla.supportHours });
  }
  const end = endOf(product, version);
  if (end) properties.push({ property: 'endOfLife', value: end.date, description: end.description });
  return properties.length > 0 ? { slaProperties: properties } : {};
}

/** Last day a major is served: its own sunset, or the product's when the whole product is on its way out. */
function endOf(product: MeshProduct, version: ProductVersion): { date: string; description: string } | undefined {
  const own = version.sunset;
  const whole = product.definition.sunset;
  if (whole !== undefined && (own === undefined || whole < own)) {
    return { date: whole, description: 'last day this product is served' };
  }
  return own !== undefined ? { date: own, description: 'last day this major is served' } : undefined;
}

function productCustomProperties(
  domain: MeshDomain,
  product: MeshProduct,
  version: ProductVersion,
  env: DeployEnv | undefined,
): OdcsCustomProperty[] {
  const { access, archetype, inputs } = product.definition;
  const properties: OdcsCustomProperty[] = [
    { property: 'archetype', value: archetype },
    { property: 'classification', value: product.classification },
    { property: 'visibility', value: access.visibility },
  ];
  if (access.consumers.length > 0) {
    properties.push({
      property: 'consumers',
      value: access.consumers.map((c) => ({ domain: c.domain, ...(c.purpose ? { purpose: c.purpose } : {}) })),
    });
  }
  if (inputs.length > 0) properties.push({ property: 'inputs', value: [...inputs] });
  const liveMajors = product.versions.map((v) => v.major).sort((a, b) => a - b);
  properties.push({ property: 'liveMajors', value: liveMajors });
  const end = endOf(product, version);
  if (end) properties.push({ property: 'sunset', value: end.date, description: end.description });
  if (version.sunset) {
    properties.push({
      property: 'supersededBy',
      value: `${product.id}@${product.versions[0].major}`,
    });
  }
  properties.push({ property: 'costCenter', value: domain.definition.costCenter });
  if (!env) {
    properties.push({
      property: 'resolvedAtDeploy',
      value: ['account', 'region'],
      description:
        '{account} and {region} in server names stand for the account and region the domain stack is deployed to',
    });
  }
  return properties;
}
