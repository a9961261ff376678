import { GlueClient } from '@aws-sdk/client-glue';
import type { Command } from 'commander';
import { lineageDot, lineageMermaid, searchCatalog } from '../../lib/catalog/entries';
import { compareTable, type GlueTableReader, SdkGlueTableReader } from '../../lib/catalog/live';
import { glueTableInput } from '../../lib/catalog/table-input';
import { parseColumnType, renderTrinoType } from '../../lib/definition/column-type';
import { findDomain, findProduct, type Mesh, type MeshProduct } from '../../lib/mesh/model';
import { domainNames, renderName } from '../../lib/mesh/naming';
import { formatTable, loadMeshOrExit } from './shared';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function productOrExit(mesh: Mesh, reference: string): MeshProduct {
  const [domain, name] = reference.split('/');
  const product = domain && name ? findProduct(mesh, domain, name) : undefined;
  if (!product) {
    const known = mesh.domains.flatMap((d) => d.products.map((p) => p.id)).join(', ');
    fail(`unknown product "${reference}" (expected <domain>/<product>; products: ${known})`);
  }
  return product;
}

function describeProduct(mesh: Mesh, product: MeshProduct): string {
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
        c.partition ? c.partition.projection : '',
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

/** Compares every live major of the product with Glue; returns the number of drifting tables. */
export async function showLive(
  mesh: Mesh,
  product: MeshProduct,
  reader: GlueTableReader,
  region: string,
): Promise<number> {
  const domain = findDomain(mesh, product.domain);
  const names = domainNames(mesh.config, product.domain);
  let drifting = 0;
  for (const version of product.versions) {
    const table = `${product.name}_v${version.major}`;
    const actual = await reader.getTable(names.database, table);
    const account = domain?.definition.env?.account ?? actual?.CatalogId ?? '{account}';
    const bucket = renderName(names.dataBucket, { account, region: domain?.definition.env?.region ?? region });
    const drift = compareTable(glueTableInput(mesh, product, version, bucket), actual);
    if (drift.length === 0) {
      process.stdout.write(`${names.database}.${table}: in sync with the definition\n`);
      continue;
    }
    drifting++;
    process.stdout.write(`${names.database}.${table}: differs from the definition (deploy ${names.stackName}):\n`);
    process.stdout.write(
      `${formatTable(
        ['field', 'definition', 'Glue'],
        drift.map((d) => [d.field, d.expected, d.actual]),
      )}\n`,
    );
  }
  return drifting;
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
      const entries = searchCatalog(mesh, options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
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

  program
    .command('show <domain/product>')
    .description('describe a product: schema, SLA, quality, access, lineage; --live compares with Glue')
    .option('--live', 'compare the deployed Glue tables with the definition (needs AWS credentials)')
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { live?: boolean; json?: boolean }, command: Command) => {
      const mesh = loadMeshOrExit(command);
      const product = productOrExit(mesh, reference);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ ...searchCatalog(mesh).find((e) => e.id === product.id), definition: product.definition }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(describeProduct(mesh, product));
      }
      if (options.live) {
        const client = new GlueClient({});
        const region = await client.config.region();
        process.stdout.write('\n');
        if ((await showLive(mesh, product, new SdkGlueTableReader(client), region)) > 0) process.exitCode = 1;
      }
    });

  program
    .command('graph')
    .description('print the lineage graph (products and the inputs between them)')
    .option('--format <format>', 'mermaid or dot', 'mermaid')
    .action((options: { format: string }, command: Command) => {
      const mesh = loadMeshOrExit(command);
      if (options.format !== 'mermaid' && options.format !== 'dot')
        fail(`--format must be mermaid or dot, got "${options.format}"`);
      process.stdout.write(options.format === 'dot' ? lineageDot(mesh) : lineageMermaid(mesh));
    });
}
