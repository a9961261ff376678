/**
 * `mesh diff <domain> [--base <ref>]`: what a change does to a domain's stack, offline, before deploying. The
 * domain's stack is synthesized from the working tree and from the base ref (a temporary git worktree), and the
 * templates are compared resource by resource. Replacements and deletions of resources that hold data are
 * named first, in red on a terminal. Exit codes: 0 nothing stateful is replaced or deleted, 1 something is,
 * 2 the diff could not run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { ResourceChange, StackDiff } from '../../lib/stack-diff/compare';
import { progressLine } from './progress';
import { CommandError, printJson, projectRoot } from './shared';

interface DiffOptions {
  readonly base: string;
  readonly json?: boolean;
  /** Also list changes of resources that hold no data (on by default; --no-all hides them). */
  readonly all: boolean;
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff <domain>')
    .description(
      'compare the domain’s synthesized stack with the one of a base commit; exit 1 when a resource holding data (bucket, key, database, table, log group) would be replaced or deleted',
    )
    .option('--base <ref>', 'git branch, tag or commit to compare with', 'HEAD')
    .option('--no-all', 'list only the replacements and deletions of resources that hold data')
    .option('--json', 'print the changes as JSON')
    .action(async (domain: string, options: DiffOptions, command: Command) => {
      const root = projectRoot(command);
      const { readMeshConfig } = require('../../lib/mesh/config') as typeof import('../../lib/mesh/config');
      const { domainNames } = require('../../lib/mesh/naming') as typeof import('../../lib/mesh/naming');
      const { compareTemplates } =
        require('../../lib/stack-diff/compare') as typeof import('../../lib/stack-diff/compare');
      const { resolveRef, StackDiffError, synthDomain, withBaseWorktree } =
        require('../../lib/stack-diff/synth') as typeof import('../../lib/stack-diff/synth');
      const config = readMeshConfig(root);
      const { stackName } = domainNames(config, domain);
      const request = { root, domain, stackName, domainsDir: config.domainsDir };
      const progress = progressLine({ quiet: options.json });
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diff-'));
      const started = performance.now();
      const ticker = setInterval(
        () =>
          progress.update(
            `synthesizing ${stackName} at ${options.base} and in the working tree… ${Math.round((performance.now() - started) / 1000)} s`,
          ),
        1000,
      );
      try {
        const commit = await resolveRef(root, options.base);
        progress.update(`synthesizing ${stackName} at ${options.base} and in the working tree…`, true);
        // Both synths at once: each is mostly one CPU's work.
        const [before, after] = await Promise.all([
          withBaseWorktree(root, commit, (dir) => synthDomain(dir, request, path.join(out, 'base'))),
          synthDomain(root, request, path.join(out, 'working')),
        ]);
        if (before.size === 0 && after.size === 0) {
          throw new CommandError(
            `no domain "${domain}" at ${options.base} nor in the working tree (expected ${config.domainsDir}/${domain}/domain.ts)`,
          );
        }
        clearInterval(ticker);
        progress.done();
        const diff = compareTemplates(before, after);
        const base = `${options.base} (${commit.slice(0, 12)})`;
        if (options.json) printJson({ domain, stack: stackName, base: options.base, commit, ...diff });
        else process.stdout.write(report(stackName, base, diff, options.all, colorsFor(process.stdout)));
        if (diff.destructive.length > 0) process.exitCode = 1;
      } catch (err) {
        if (err instanceof StackDiffError) throw new CommandError(err.message);
        throw err;
      } finally {
        clearInterval(ticker);
        progress.done();
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
}

interface Colors {
  readonly red: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

/** ANSI colours only on a terminal that has not asked for none (NO_COLOR). */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  const on = stream.isTTY === true && !process.env.NO_COLOR;
  const wrap = (open: string, close: string) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { red: wrap('31', '39'), bold: wrap('1', '22'), dim: wrap('2', '22') };
}

/** The text report: destructive changes first (red), then the others unless `all` is off. */
export function report(stackName: string, base: string, diff: StackDiff, all: boolean, colors: Colors): string {
  const { describeChange, leafDifferences } =
    require('../../lib/stack-diff/compare') as typeof import('../../lib/stack-diff/compare');
  const lines: string[] = [`${stackName}: working tree against ${base}`];
  if (diff.changes.length === 0) return `${lines[0]}\nno changes\n`;
  const keyOf = (c: ResourceChange) => `${c.template}/${c.logicalId}`;
  const destructive = new Set(diff.destructive.map(keyOf));
  if (destructive.size > 0) {
    lines.push(
      '',
      colors.bold(
        colors.red(
          `${destructive.size} resource${destructive.size === 1 ? '' : 's'} holding data would be replaced or deleted:`,
        ),
      ),
    );
    for (const change of diff.destructive) lines.push(colors.red(`  ${describeChange(change)}`));
  }
  const others = diff.changes.filter((c) => !destructive.has(keyOf(c)));
  if (all && others.length > 0) {
    lines.push('', `${others.length} other change${others.length === 1 ? '' : 's'}:`);
    for (const change of others) {
      lines.push(`  ${describeChange(change)}`);
      for (const property of change.kind === 'modify' ? change.properties : []) {
        const leaves = leafDifferences(property.before, property.after, property.path);
        for (const leaf of leaves.slice(0, MAX_LEAVES)) {
          lines.push(colors.dim(`      ${leaf.path}: ${brief(leaf.before)} → ${brief(leaf.after)}`));
        }
        if (leaves.length > MAX_LEAVES)
          lines.push(colors.dim(`      … and ${leaves.length - MAX_LEAVES} more in ${property.path}`));
      }
    }
  }
  lines.push(
    '',
    destructive.size > 0
      ? 'Deploying this loses or orphans data: keep the names and logical IDs (or migrate the data first and plan the change with the platform team).'
      : `nothing that holds data is replaced or deleted (${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'})`,
  );
  return `${lines.join('\n')}\n`;
}

/** Changed values shown per property; the JSON report has them all. */
const MAX_LEAVES = 4;

function brief(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
