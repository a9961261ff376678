/**
 * Catalog commands over the definitions: `mesh list`, `mesh show` (with `--live`, a comparison with Glue) and
 * `mesh graph`. Only types and light helpers at the top: the catalog, the schemas and the SDK are required
 * when a command runs.
 */
import type { Command } from 'commander';
import type { GlueTableReader, TableDrift } from '../../lib/catalog/live';
import type { Mesh, MeshProduct } from '../../lib/mesh/model';
import { type AwsOptions, addAwsOptions, awsClientConfig, callAws } from './aws';
import { formatTable, loadMeshOrExit, printJson } from './shared';

const catalog = () => require('../../lib/catalog/entries') as typeof import('../../lib/catalog/entries');
const model = () => require('../../lib/mesh/model') as typeof import('../../lib/mesh/model');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function productOrExit(mesh: Mesh, reference: string): MeshProduct {
  const [domain, name] = reference.split('/');
  const product = domain && name ? model().findProduct(mesh, domain, name) : undefined;
  if (!product) {
    const known = mesh.domains.flatMap((d) => d.products.map((p) => p.id)).join(', ');
    fail(`unknown product "${reference}" (expected <domain>/<product>; products: ${known})`);
  }
  return product;
}

function describeProduct(mesh: Mesh, product: MeshProduct): string {
  const { searchCatalog } = catalog();
  const { parseColumnType, renderTrinoType } =
    require('../../lib/definition/column-type') as typeof import('../../lib/definition/column-type');
  const [entry] = searchCatalog(mesh, { domain: product.domain }).filter((e) => e.id === product.id);
  const { definition } = product;
  const current = product.versions[0];
  const lines = [
    `${entry.title} (${entry.id} ${current.version}) — ${entry.archetype}, ${entry.status}`,
    '',
    definition.description.purpose,
    ...(definition.description.usage ? [`Usage: ${definition.description.usage}`] : []),
    ...(definition.description.limitations ? [`Limitations: ${definition.description.limitations}`] : []),
    '',
    `owner           ${entry.owner}`,
    `classification  ${entry.classification}`,
    `visibility      ${entry.visibility}${definition.access.consumers.length ? ` (${definition.access.consumers.map((c) => `${c.domain}: ${c.purpose ?? 'no purpose given'}`).join('; ')})` : ''}`,
    `tags            ${entry.tags.join(', ') || '-'}`,
    `query           Athena workgroup ${entry.workgroup}, database ${entry.database}`,
    `deployed by     ${entry.stack} (${entry.file})`,
    '',
    formatTable(
      ['major', 'version', 'table', 'prefix', 'sunset'],
      entry.versions.map((v) => [`v${v.major}`, v.version, v.table, v.prefix, v.sunset ?? '-']),
    ),
    '',
    formatTable(
      ['column', 'type (Athena)', 'required', 'key', 'pii', 'partition', 'description'],
      current.schema.columns.map((c) => [
        c.name,
        renderTrinoType(parseColumnType(c.type)),
        c.required ? 'yes' : '',
        c.primaryKey ? 'pk' : c.unique ? 'unique' : '',
        c.pii ? 'pii' : '',
        c.partition === true ? 'iceberg' : c.partition ? c.partition.projection : '',
        c.description ?? '',
      ]),
    ),
  ];
  if (definition.sla) {
    const sla = definition.sla;
    lines.push(
      '',
      `SLA: updated ${sla.updateFrequency}; retained ${sla.retention}${sla.freshness ? `; fresh within ${sla.freshness.within} (${sla.freshness.column})` : ''}`,
    );
  }
  if (definition.quality.length) {
    lines.push(
      '',
      `Quality rules: ${definition.quality.map((q) => ('column' in q && q.column ? `${q.rule}(${q.column})` : q.rule)).join(', ')}`,
    );
  }
  lines.push('', `Inputs: ${entry.inputs.join(', ') || '-'}`, `Consumers: ${entry.consumers.join(', ') || '-'}`);
  return `${lines.join('\n')}\n`;
}

/** One live major's Glue table against the definition. */
export interface TableDriftReport {
  readonly table: string;
  readonly stack: string;
  /** Empty when in sync. */
  readonly drift: readonly TableDrift[];
}

/** Compares every live major of the product with Glue. */
export async function liveDrift(
  mesh: Mesh,
  product: MeshProduct,
  reader: GlueTableReader,
  region: string,
): Promise<TableDriftReport[]> {
  const { compareTable } = require('../../lib/catalog/live') as typeof import('../../lib/catalog/live');
  const { glueTableInput } = require('../../lib/catalog/table-input') as typeof import('../../lib/catalog/table-input');
  const { domainNames, renderName } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  const domain = model().findDomain(mesh, product.domain);
  const names = domainNames(mesh.config, product.domain);
  const reports: TableDriftReport[] = [];
  for (const version of product.versions) {
    const table = `${product.name}_v${version.major}`;
    const actual = await reader.getTable(names.database, table);
    const account = domain?.definition.env?.account ?? actual?.CatalogId ?? '{account}';
    const bucket = renderName(names.dataBucket, { account, region: domain?.definition.env?.region ?? region });
    const drift = compareTable(glueTableInput(mesh, product, version, bucket), actual);
    reports.push({ table: `${names.database}.${table}`, stack: names.stackName, drift });
  }
  return reports;
}

/** Prints every live major's comparison with Glue; returns the number of drifting tables. */
export async function showLive(
  mesh: Mesh,
  product: MeshProduct,
  reader: GlueTableReader,
  region: string,
): Promise<number> {
  const reports = await liveDrift(mesh, product, reader, region);
  for (const { table, stack, drift } of reports) {
    if (drift.length === 0) {
      process.stdout.write(`${table}: in sync with the definition\n`);
      continue;
    }
    process.stdout.write(`${table}: differs from the definition (deploy ${stack}):\n`);
    process.stdout.write(
      `${formatTable(
        ['field', 'definition', 'Glue'],
        drift.map((d) => [d.field, d.expected, d.actual]),
      )}\n`,
    );
  }
  return reports.filter((r) => r.drift.length > 0).length;
}

export function registerCatalogCommands(program: Command): void {
  program
    .command('list')
    .description('list data products from the definitions (filter by domain, tag or words)')
    .option('--domain <domain>', 'only this domain')
    .option('--tag <tag>', 'only products with this tag')
    .option('--search <words>', 'words that must appear in name, title, purpose, tags or columns')
    .option('--json', 'print JSON')
    .action((options: { domain?: string; tag?: string; search?: string; json?: boolean }, command: Command) => {
      const mesh = loadMeshOrExit(command);
      const entries = catalog().searchCatalog(mesh, options);
      if (options.json) {
        printJson(entries);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['product', 'version', 'archetype', 'classification', 'visibility', 'owner', 'purpose'],
          entries.map((e) => [
            e.id,
            e.versions[0].version,
            e.archetype,
            e.classification,
            e.visibility,
            e.owner,
            e.purpose,
          ]),
        )}\n`,
      );
    });

  const show = program
    .command('show <domain/product>')
    .description('describe a product: schema, SLA, quality, access, lineage; --live compares with Glue')
    .option('--live', 'compare the deployed Glue tables with the definition (needs AWS credentials)')
    .option('--json', 'print JSON (with --live, the drift of every table too)');
  addAwsOptions(show).action(async (reference: string, options: ShowOptions, command: Command) => {
    const mesh = loadMeshOrExit(command);
    const product = productOrExit(mesh, reference);
    const entry = catalog()
      .searchCatalog(mesh)
      .find((e) => e.id === product.id);
    if (!options.live) {
      if (options.json) printJson({ ...entry, definition: product.definition });
      else process.stdout.write(describeProduct(mesh, product));
      return;
    }
    const { GlueClient } = require('@aws-sdk/client-glue') as typeof import('@aws-sdk/client-glue');
    const { SdkGlueTableReader } = require('../../lib/catalog/live') as typeof import('../../lib/catalog/live');
    const client = new GlueClient(awsClientConfig(options));
    const context = { service: 'Glue', profile: options.profile, region: options.region };
    const region = await callAws(context, () => client.config.region());
    const reader = new SdkGlueTableReader(client);
    if (options.json) {
      const tables = await callAws({ ...context, region }, () => liveDrift(mesh, product, reader, region));
      printJson({ ...entry, definition: product.definition, live: { region, tables } });
      if (tables.some((t) => t.drift.length > 0)) process.exitCode = 1;
      return;
    }
    process.stdout.write(`${describeProduct(mesh, product)}\n`);
    const drifting = await callAws({ ...context, region }, () => showLive(mesh, product, reader, region));
    if (drifting > 0) process.exitCode = 1;
  });

  program
    .command('graph')
    .description('print the lineage graph (products and the inputs between them)')
    .option('--format <format>', 'mermaid, dot or json', 'mermaid')
    .option('--json', 'same as --format json')
    .action((options: { format: string; json?: boolean }, command: Command) => {
      const format = options.json ? 'json' : options.format;
      if (!['mermaid', 'dot', 'json'].includes(format)) fail(`--format must be mermaid, dot or json, got "${format}"`);
      const mesh = loadMeshOrExit(command);
      if (format === 'json') {
        printJson({
          products: model()
            .allProducts(mesh)
            .map((p) => p.id),
          edges: mesh.edges.map((e) => ({ consumer: e.consumer.id, producer: e.producer.id, major: e.major })),
        });
        return;
      }
      const { lineageDot, lineageMermaid } = catalog();
      process.stdout.write(format === 'dot' ? lineageDot(mesh) : lineageMermaid(mesh));
    });
}

interface ShowOptions extends AwsOptions {
  readonly live?: boolean;
  readonly json?: boolean;
}
