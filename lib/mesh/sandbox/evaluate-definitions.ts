/**
 * Definition files → plain values, evaluated apart from the platform: compiled with esbuild (imports limited
 * to the file's own domain folder and the definition helpers), run in the sandbox process, returned as JSON.
 * Every file gets either its default export as plain data or the problems that stopped it.
 */
import * as path from 'node:path';
import { type DefinitionProblem, formatPath } from '../problems';
import type { CompiledDefinition } from './bundle';
import { compileDefinitionsSync } from './compile-sync';
import { evaluateInSandbox, type SandboxOptions } from './sandbox';

export type EvaluatedDefinition =
  | { readonly value: unknown; readonly problems?: undefined }
  | { readonly value?: undefined; readonly problems: readonly DefinitionProblem[] };

/**
 * Evaluates the files (relative to root, all under `domainsDir/<domain>/`). A mistake in one file never
 * keeps another file from being evaluated.
 */
export function evaluateDefinitions(
  root: string,
  domainsDir: string,
  files: readonly string[],
  options: SandboxOptions = {},
): Map<string, EvaluatedDefinition> {
  const out = new Map<string, EvaluatedDefinition>();
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
  return out;
}

function domainOf(domainsDir: string, file: string): string {
  return path.relative(domainsDir, file).split(path.sep)[0];
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
