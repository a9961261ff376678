import type { Command } from 'commander';
import { currentVersion } from '../../lib/mesh/model';
import { domainNames } from '../../lib/mesh/naming';
import { formatTable, loadMeshOrExit } from './shared';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check every domain and product definition without synthesizing; exit 1 on any problem')
    .action((_options, command: Command) => {
      const started = performance.now();
      const mesh = loadMeshOrExit(command);
      const rows = mesh.domains.flatMap((domain) =>
        domain.products.map((product) => [
          domainNames(mesh.config, domain.name).stackName,
          product.id,
          currentVersion(product).version,
          product.definition.archetype,
          product.definition.status,
          product.classification,
          product.definition.access.visibility,
          product.versions.map((v) => `v${v.major}`).join(','),
        ]),
      );
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
