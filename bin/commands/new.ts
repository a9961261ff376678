import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from './shared';

// Required when a file is scaffolded, so `mesh --help` does not load the schemas.
const config = () => require('../../lib/mesh/config') as typeof import('../../lib/mesh/config');
const scaffold = () => require('../../lib/mesh/scaffold') as typeof import('../../lib/mesh/scaffold');
const layout = () => require('../../lib/mesh/load') as typeof import('../../lib/mesh/load');

function writeNewFile(root: string, file: string, text: string): void {
  const absolute = path.join(root, file);
  if (fs.existsSync(absolute)) {
    fail(`${file} already exists; nothing was written`);
  }
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, text);
  process.stdout.write(`created ${file}\n`);
}

function fail(message: string): never {
  process.stderr.write(`mesh new: ${message}\n`);
  process.exit(1);
}

export function registerNewCommand(program: Command): void {
  const command = program
    .command('new')
    .description('scaffold a domain or a product (fill in its TODO texts; validate refuses them)');

  command
    .command('domain <name>')
    .description('create domains/<name>/domain.ts')
    .action((name: string, _options, sub: Command) => {
      const { checkScaffoldName, domainTemplate } = scaffold();
      const { DOMAIN_FILE, PRODUCTS_DIR } = layout();
      const problem = checkScaffoldName('domain', name);
      if (problem) fail(problem);
      const root = projectRoot(sub);
      const { domainsDir } = config().readMeshConfig(root);
      writeNewFile(root, path.join(domainsDir, name, DOMAIN_FILE), domainTemplate(name));
      fs.mkdirSync(path.join(root, domainsDir, name, PRODUCTS_DIR), { recursive: true });
      process.stdout.write(`next: npx mesh new product ${name}/<product>\n`);
    });

  command
    .command('product <domain/name>')
    .description('create domains/<domain>/products/<name>.ts')
    .action((reference: string, _options, sub: Command) => {
      const [domain, name, ...rest] = reference.split('/');
      if (!domain || !name || rest.length > 0) fail(`expected <domain>/<product>, got "${reference}"`);
      const { checkScaffoldName, productTemplate } = scaffold();
      const { DOMAIN_FILE, PRODUCTS_DIR } = layout();
      const problem = checkScaffoldName('product', name);
      if (problem) fail(problem);
      const root = projectRoot(sub);
      const { domainsDir } = config().readMeshConfig(root);
      if (!fs.existsSync(path.join(root, domainsDir, domain, DOMAIN_FILE))) {
        fail(`domain "${domain}" does not exist; create it first with: npx mesh new domain ${domain}`);
      }
      writeNewFile(root, path.join(domainsDir, domain, PRODUCTS_DIR, `${name}.ts`), productTemplate(name));
      process.stdout.write(
        `next: fill in the TODOs, run npx mesh validate, then npx mesh contract lock ${domain}/${name} to publish its contract\n`,
      );
    });
}
