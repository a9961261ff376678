import type { Command } from 'commander';
import type { Mesh } from '../../lib/mesh/model';
import { formatTable, loadMeshOrExit, loadProject, printJson } from './shared';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check every domain and product definition without synthesizing; exit 1 on any problem')
    .option('--json', 'print { valid, problems, products } as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const started = performance.now();
      if (options.json) {
        const result = loadProject(command);
        printJson({ valid: result.mesh !== undefined, problems: result.problems, products: rowsOf(result.partial) });
        if (!result.mesh) process.exitCode = 1;
        return;
      }
      const mesh = loadMeshOrExit(command);
      const rows = rowsOf(mesh).map((r) => [
        r.stack,
        r.product,
        r.version,
        r.archetype,
        r.status,
        r.classification,
        r.visibility,
        r.live.join(','),
      ]);
      process.stdout.write(
        `${formatTable(['stack', 'product', 'version', 'archetype', 'status', 'classification', 'visibility', 'live'], rows)}\n`,
      );
      const products = rows.length;
      process.stdout.write(
        `\n✔ ${mesh.domains.length} domains, ${products} products, ${mesh.edges.length} input edges valid (${Math.round(
          performance.now() - started,
        )} ms)\n`,
      );
    });
}

/** One row per product; the loader's modules are required here so `mesh --help` does not load them. */
function rowsOf(mesh: Mesh) {
  const { currentVersion } = require('../../lib/mesh/model') as typeof import('../../lib/mesh/model');
  const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
  return mesh.domains.flatMap((domain) =>
    domain.products.map((product) => ({
      stack: domainNames(mesh.config, domain.name).stackName,
      product: product.id,
      version: currentVersion(product).version,
      archetype: product.definition.archetype,
      status: product.definition.status,
      classification: product.classification,
      visibility: product.definition.access.visibility,
      live: product.versions.map((v) => `v${v.major}`),
    })),
  );
}
