/**
 * `mesh sample <domain>/<product>`: writes generated rows that follow the product's schema and quality rules
 * (or break them on purpose with --violations), to try `mesh check --local` without real data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { LocalFormat } from '../../lib/quality/local-source';
import { resolveProductVersion } from './check';
import { formatTable, isStdout, loadMeshOrExit } from './shared';

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
    .option('--out <file>', 'file to write, - for stdout (default: <product>_v<major>_sample.<format>)')
    .option('--format <format>', 'parquet, csv or json (default: from --out, else the product format)')
    .option('--violations', 'break every rule that can be broken on about 1 % of the rows')
    .option('--seed <n>', 'seed of the generated values', '1')
    .action(async (reference: string, options: SampleCommandOptions, command: Command) => {
      const mesh = loadMeshOrExit(command);
      const { fileFormatOf, formatOfFile } =
        require('../../lib/quality/local-source') as typeof import('../../lib/quality/local-source');
      const { formatNumber } =
        require('../../lib/quality/measure-text') as typeof import('../../lib/quality/measure-text');
      try {
        const { product, version } = resolveProductVersion(mesh, reference, options.version);
        const rows = options.rows === undefined ? undefined : wholeNumber('--rows', options.rows);
        const seed = wholeNumber('--seed', options.seed);
        if (options.format !== undefined && !FORMATS.includes(options.format as LocalFormat)) {
          throw new Error(`--format takes ${FORMATS.join(', ')}, got "${options.format}"`);
        }
        const format =
          (options.format as LocalFormat | undefined) ??
          (options.out && !isStdout(options.out) ? formatOfFile(options.out) : undefined) ??
          fileFormatOf(version.schema.format);
        const toStdout = options.out !== undefined && isStdout(options.out);
        const fileName = `${product.name}_v${version.major}_sample.${format}`;
        // DuckDB writes files: for stdout it writes a temporary one that is then copied out.
        const tempDir = toStdout ? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-sample-')) : undefined;
        const out = tempDir ? path.join(tempDir, fileName) : (options.out ?? fileName);
        // Messages go to stderr when the rows go to stdout.
        const say = (text: string) => (toStdout ? process.stderr : process.stdout).write(text);
        // DuckDB loads only when a sample is written, so other commands start fast.
        const { writeQualitySample } =
          require('../../lib/quality/sample-data') as typeof import('../../lib/quality/sample-data');
        const result = await writeQualitySample(product, version, out, {
          format,
          seed,
          violations: options.violations ?? false,
          ...(rows !== undefined ? { rows } : {}),
        }).finally(() => {
          if (!tempDir) return;
          if (fs.existsSync(out)) process.stdout.write(fs.readFileSync(out));
          fs.rmSync(tempDir, { recursive: true, force: true });
        });
        say(
          `wrote ${formatNumber(result.rows)} rows of ${product.id} v${version.major} to ${toStdout ? 'stdout' : out} (${result.format})\n`,
        );
        if (result.violations.length > 0) {
          say(
            `\n${formatTable(
              ['broken check', 'rows'],
              result.violations.map((v) => [v.check, formatNumber(v.rows)]),
            )}\n`,
          );
        }
        for (const note of result.notes) say(`note: ${note}\n`);
        const versionOption = version.current ? '' : ` --version ${version.major}`;
        if (!toStdout) say(`next: npx mesh check ${product.id}${versionOption} --local ${out}\n`);
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
