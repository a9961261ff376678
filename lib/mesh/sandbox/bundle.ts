/**
 * Compiles definition files into self-contained scripts for the sandbox, in one esbuild call.
 *
 * What a definition may import is decided here, at compile time: files of its own domain folder (shared
 * helpers such as a common set of audit columns) and the platform's definition helpers, which are replaced by
 * inert stand-ins. Anything else (the platform's modules, another domain's files, node built-ins, packages)
 * is a compile error at the import, so a definition cannot reach the rules, the engine or the synth.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';

/** A compiled definition file, ready to run in the sandbox. */
export interface CompiledDefinition {
  /** File relative to the project root. */
  readonly file: string;
  /** CommonJS script that assigns the file's exports to `module.exports`. */
  readonly code: string;
}

/** A compile problem, located in the TypeScript source. */
export interface CompileProblem {
  /** File relative to the project root. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface CompileResult {
  readonly compiled: readonly CompiledDefinition[];
  /** Problems by the file they belong to (the file that was compiled, not the file that was imported). */
  readonly problems: ReadonlyMap<string, readonly CompileProblem[]>;
}

const HELPERS_NAMESPACE = 'mesh-definition-helpers';

/** What `lib/definition` is to a definition file: the two marker functions, which return their argument. */
const HELPERS_SOURCE = 'export const defineProduct = (d) => d;\nexport const defineDomain = (d) => d;\n';

const ALLOWED =
  'definition files may import files of their own domain folder and `defineProduct`/`defineDomain` (and types) from lib/definition';

/**
 * Compiles the files (relative to root). Each domain folder under `domainsDir` is a boundary: a file
 * imports only from its own domain folder. A file whose compilation fails gets its problems; the others
 * compile as usual.
 */
export async function compileDefinitions(
  root: string,
  domainsDir: string,
  files: readonly string[],
): Promise<CompileResult> {
  const problems = new Map<string, readonly CompileProblem[]>();
  let pending = files;
  // esbuild stops the whole build on any error: compile again without the files that had one, until the
  // rest compiles (each round removes at least one file).
  while (pending.length > 0) {
    const round = await compile(root, domainsDir, pending);
    if (round.problems.size === 0) return { compiled: round.compiled, problems };
    for (const [file, list] of round.problems) problems.set(file, list);
    pending = pending.filter((f) => !round.problems.has(f));
  }
  return { compiled: [], problems };
}

async function compile(projectRoot: string, domainsDir: string, files: readonly string[]): Promise<CompileResult> {
  const root = realPath(projectRoot);
  const entryPoints = Object.fromEntries(files.map((file, i) => [`e${i}`, path.join(root, file)]));
  // esbuild reports real paths; compare real paths, so a symlink cannot carry a file across a boundary.
  const domainsRoot = realPath(path.join(root, domainsDir));
  const helpersDir = realPath(path.join(root, 'lib', 'definition'));
  const problems = new Map<string, CompileProblem[]>();
  const record = (file: string, problem: CompileProblem) =>
    problems.set(file, [...(problems.get(file) ?? []), problem]);
  // Which entry an imported file was first reached from, so an error inside a shared helper is reported
  // against the definition that imported it as well as at its own location.
  const reachedFrom = new Map<string, string>();

  const boundary: Plugin = {
    name: 'definition-boundary',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'resolving') return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (resolved.errors.length > 0) return { errors: [{ text: `cannot import "${args.path}": ${ALLOWED}` }] };
        const target = resolved.path;
        if (isInside(helpersDir, target) && !resolved.external) {
          return { path: 'lib/definition', namespace: HELPERS_NAMESPACE };
        }
        const importerDomain = domainFolder(domainsRoot, args.importer);
        if (importerDomain && !resolved.external && domainFolder(domainsRoot, target) === importerDomain) {
          const entry = reachedFrom.get(args.importer) ?? args.importer;
          if (!reachedFrom.has(target)) reachedFrom.set(target, entry);
          return { path: target };
        }
        return {
          errors: [{ text: `cannot import "${args.path}": ${ALLOWED}` }],
        };
      });
      b.onLoad({ filter: /.*/, namespace: HELPERS_NAMESPACE }, () => ({ contents: HELPERS_SOURCE, loader: 'js' }));
    },
  };

  try {
    const result = await build({
      entryPoints,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      absWorkingDir: root,
      outdir: path.join(root, '.mesh-definitions'),
      logLevel: 'silent',
      plugins: [boundary],
      // Keep names readable in thrown messages; nothing here is shipped.
      minify: false,
      sourcemap: false,
    });
    const compiled = result.outputFiles.map((output) => {
      const key = path.basename(output.path, '.js');
      return { file: files[Number(key.slice(1))], code: output.text };
    });
    return { compiled, problems };
  } catch (err) {
    const messages: Message[] = (err as { errors?: Message[] }).errors ?? [];
    if (messages.length === 0) throw err;
    for (const message of messages) {
      const location = message.location;
      const at = location ? path.join(root, location.file) : undefined;
      const owner = at ? ownerFile(root, files, reachedFrom, at) : undefined;
      const problem: CompileProblem = {
        file: location ? path.relative(root, path.resolve(root, location.file)) : (owner ?? files[0]),
        line: location?.line,
        // esbuild counts columns from 0, editors from 1.
        column: location ? location.column + 1 : undefined,
        message: message.text,
      };
      if (owner) record(owner, problem);
      else for (const file of files) record(file, problem);
    }
    return { compiled: [], problems };
  }
}

/** The definition file a problem at `absolute` belongs to: itself, or the definition that imported it. */
function ownerFile(
  root: string,
  files: readonly string[],
  reachedFrom: ReadonlyMap<string, string>,
  absolute: string,
): string | undefined {
  const entry = reachedFrom.get(absolute) ?? absolute;
  const relative = path.relative(root, entry);
  return files.includes(relative) ? relative : undefined;
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `<domainsRoot>/<name>` for files inside a domain folder. */
function domainFolder(domainsRoot: string, file: string): string | undefined {
  if (!isInside(domainsRoot, file)) return undefined;
  return path.relative(domainsRoot, file).split(path.sep)[0];
}
