/**
 * Definition files → plain values, evaluated apart from the platform: compiled with esbuild (imports limited
 * to the file's own domain folder and the definition helpers), run in the sandbox process, returned as JSON.
 * Every file gets either its default export as plain data or the problems that stopped it.
 */
import * as path from 'node:path';
import { type DefinitionProblem, formatPath } from '../problems';
import type { CompiledDefinition } from './bundle';
import { compileDefinitionsSync } from './compile-sync';
import { type DomainAnswers, definitionCache, domainKey, entryName } from './evaluation-cache';
import { evaluateInSandbox, type SandboxOptions } from './sandbox';

export type EvaluatedDefinition =
  | { readonly value: unknown; readonly problems?: undefined }
  | { readonly value?: undefined; readonly problems: readonly DefinitionProblem[] };

/**
 * Evaluates the files (relative to root, all under `domainsDir/<domain>/`). A mistake in one file never
 * keeps another file from being evaluated. Answers are kept per domain under `cacheRoot`
 * (evaluation-cache.ts); `null` evaluates everything afresh and keeps nothing.
 */
export function evaluateDefinitions(
  root: string,
  domainsDir: string,
  files: readonly string[],
  options: SandboxOptions = {},
  cacheRoot: string | null = root,
  /** Filled with each evaluated domain's key (evaluation-cache.ts), for caches built on the answers. */
  keys?: Map<string, string>,
  /**
   * Whether a caller already holds what it needs of a domain's files under this key (e.g. their parsed
   * definitions); those files are then answered with `{ value: undefined }` instead of reading their answers.
   */
  alreadyKnown?: (domain: string, key: string, files: readonly string[]) => boolean,
): Map<string, EvaluatedDefinition> {
  const cache = definitionCache<EvaluatedDefinition>(cacheRoot ?? undefined);
  const out = new Map<string, EvaluatedDefinition>();
  const pending = new Map<string, { key: string; cached?: DomainAnswers<EvaluatedDefinition>; files: string[] }>();
  for (const [domain, domainFiles] of groupBy(files, (file) => domainOf(domainsDir, file))) {
    const key = domainKey(root, domainsDir, domain, options);
    keys?.set(domain, key);
    if (alreadyKnown?.(domain, key, domainFiles)) {
      for (const file of domainFiles) out.set(file, { value: undefined });
      continue;
    }
    const cached = cache.get(entryName(domain, key));
    if (cached && domainFiles.every((file) => file in cached)) {
      for (const file of domainFiles) out.set(file, cached[file]);
    } else {
      pending.set(domain, { key, cached, files: domainFiles });
    }
  }
  if (pending.size === 0) return out;
  const { answers, unrepeatable } = evaluateUncached(
    root,
    domainsDir,
    [...pending.values()].flatMap((p) => p.files),
    options,
  );
  for (const [domain, { key, cached, files: domainFiles }] of pending) {
    const fresh = Object.fromEntries(domainFiles.map((file) => [file, answers.get(file) as EvaluatedDefinition]));
    for (const [file, answer] of Object.entries(fresh)) out.set(file, answer);
    if (!domainFiles.some((file) => unrepeatable.has(file))) {
      cache.set(entryName(domain, key), { ...cached, ...fresh }, entryName(domain));
    }
  }
  return out;
}

/** Compiles and evaluates the files; `unrepeatable` names the files whose answer may differ next time. */
function evaluateUncached(
  root: string,
  domainsDir: string,
  files: readonly string[],
  options: SandboxOptions,
): { answers: Map<string, EvaluatedDefinition>; unrepeatable: Set<string> } {
  const out = new Map<string, EvaluatedDefinition>();
  const unrepeatable = new Set<string>();
  const compiled = compileDefinitionsSync(root, domainsDir, files);
  for (const [file, problems] of compiled.problems) {
    out.set(file, {
      problems: problems.map((p) => ({
        file: p.file,
        path: '',
        line: p.line,
        column: p.column,
        message: p.file === file ? p.message : `${p.message} (in ${p.file}, imported by ${file})`,
      })),
    });
  }

  const byDomain = new Map<string, CompiledDefinition[]>();
  for (const definition of compiled.compiled) {
    const domain = domainOf(domainsDir, definition.file);
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), definition]);
  }
  for (const [file, answer] of evaluateInSandbox(byDomain, options)) {
    if ('json' in answer) {
      out.set(file, { value: JSON.parse(answer.json) as unknown });
    } else if ('missingDefault' in answer) {
      out.set(file, {
        problems: [{ file, path: '', message: 'has no default export (write `export default defineProduct({...})`)' }],
      });
    } else if ('thrown' in answer) {
      out.set(file, {
        problems: [{ file, path: '', message: `threw while being evaluated: ${firstLine(answer.thrown)}` }],
      });
    } else if ('problems' in answer) {
      out.set(file, {
        problems: answer.problems.map((p) => ({ file, path: formatPath(p.path), message: p.message })),
      });
    } else {
      unrepeatable.add(file);
      out.set(file, {
        problems: [
          {
            file,
            path: '',
            message: answer.failed.startsWith('was not')
              ? answer.failed
              : `could not be evaluated: it ${answer.failed}`,
          },
        ],
      });
    }
  }
  return { answers: out, unrepeatable };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function domainOf(domainsDir: string, file: string): string {
  return path.relative(domainsDir, file).split(path.sep)[0];
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
