/**
 * `mesh sample <domain>/<product>`: writes generated rows that follow the product's schema and quality rules
 * (or break them on purpose with --violations), to try `mesh check --local` without real data.
 */
import type { Command } from 'commander';
import { formatOfFile, type LocalFormat } from '../../lib/quality/local-source';
import { formatNumber } from '../../lib/quality/measure-text';
import { resolveProductVersion } from './check';
import { formatTable, loadMeshOrExit } from './shared';

interface SampleCommandOptions {
  readonly version?: string;
  readonly rows?: string;
  readonly out?: string;
  readonly format?: string;
  readonly violations?: boolean;
  readonly seed: string;
}

const FORMATS: readonly LocalFormat[] = ['parquet', 'csv', 'json'];

export function registerSampleCommand(program: Command): void {
  program
    .command('sample <domain/product>')
    .description('write sample rows that satisfy (or, with --violations, break) the quality rules of a product version')
    .option('--version <major>', 'major version to follow (default: the current one)')
    .option('--rows <n>', 'number of rows (default: 1000, or what a rowCount rule needs)')
    .option('--out <file>', 'file to write (default: <product>_v<major>_sample.<format>)')
    .option('--format <format>', 'parquet, csv or json (default: from --out, else the product format)')
    .option('--violations', 'break every rule that can be broken on about 1 % of the rows')
    .option('--seed <n>', 'seed of the generated values', '1')
    .action(async (reference: string, options: SampleCommandOptions, command: Command) => {
      const mesh = loadMeshOrExit(command);
      try {
        const { product, version } = resolveProductVersion(mesh, reference, options.version);
        const rows = options.rows === undefined ? undefined : wholeNumber('--rows', options.rows);
        const seed = wholeNumber('--seed', options.seed);
        if (options.format !== undefined && !FORMATS.includes(options.format as LocalFormat)) {
          throw new Error(`--format takes ${FORMATS.join(', ')}, got "${options.format}"`);
        }
        const format =
          (options.format as LocalFormat | undefined) ??
          (options.out ? formatOfFile(options.out) : undefined) ??
          version.schema.format;
        const out = options.out ?? `${product.name}_v${version.major}_sample.${format}`;
        // DuckDB loads only when a sample is written, so other commands start fast.
        const { writeQualitySample } =
          require('../../lib/quality/sample-data') as typeof import('../../lib/quality/sample-data');
        const result = await writeQualitySample(product, version, out, {
          format,
          seed,
          violations: options.violations ?? false,
          ...(rows !== undefined ? { rows } : {}),
        });
        process.stdout.write(
          `wrote ${formatNumber(result.rows)} rows of ${product.id} v${version.major} to ${out} (${result.format})\n`,
        );
        if (result.violations.length > 0) {
          process.stdout.write(
            `\n${formatTable(
              ['broken check', 'rows'],
              result.violations.map((v) => [v.check, formatNumber(v.rows)]),
            )}\n`,
          );
        }
        for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
        const versionOption = version.current ? '' : ` --version ${version.major}`;
        process.stdout.write(`next: npx mesh check ${product.id}${versionOption} --local ${out}\n`);
      } catch (err) {
        process.stderr.write(`mesh sample: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${option} takes a whole number, got "${text}"`);
  return Number(text);
}
