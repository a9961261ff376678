#!/usr/bin/env node
/**
 * Launcher for `npx mesh`. The CLI is TypeScript run through tsx; its own files (bin/mesh.ts and
 * bin/commands/*.ts) are precompiled at first run into one CommonJS file under node_modules/.cache/mesh/,
 * named by a hash of their content, so later runs skip tsx's per-file work (about half of `mesh --help`).
 * Everything else (lib/, the definitions) is still loaded through tsx, when a command needs it. Any problem
 * with the cache (read-only folder, esbuild missing) falls back to running the sources through tsx.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

require('tsx/cjs');

const BIN = __dirname;
const ENTRY = path.join(BIN, 'mesh.ts');
const CACHE = path.join(BIN, '..', 'node_modules', '.cache', 'mesh');

/** The CLI's own sources: the entry and the command modules, the files the precompiled bundle holds. */
function cliSources() {
  const commands = path.join(BIN, 'commands');
  return [
    ENTRY,
    ...fs
      .readdirSync(commands)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => path.join(commands, f)),
  ];
}

function cacheKey(files) {
  const hash = crypto.createHash('sha256');
  hash.update(`${process.version}\0${require('esbuild/package.json').version}\0${BIN}\0`);
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundles the CLI's own files; every other import stays a require() of the original file (by absolute path,
 * so tsx loads it from where it is) or of the package. `__dirname` keeps each file's own folder.
 */
async function build(outfile) {
  const esbuild = require('esbuild');
  const inBin = (file) => file === ENTRY || path.dirname(file) === path.join(BIN, 'commands');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'mesh-cli-only',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const target = path.resolve(args.resolveDir, args.path);
            const asTs = fs.existsSync(`${target}.ts`) ? `${target}.ts` : target;
            return inBin(asTs) ? { path: asTs } : { path: target, external: true };
          });
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: fs
              .readFileSync(args.path, 'utf8')
              .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, result.outputFiles[0].contents);
  fs.renameSync(temporary, outfile);
  // Bundles of earlier sources go, once no run that started with them can still be loading them.
  for (const name of fs.readdirSync(CACHE)) {
    const old = path.join(CACHE, name);
    if (name.startsWith('cli-') && old !== outfile && Date.now() - fs.statSync(old).mtimeMs > 3_600_000) {
      fs.rmSync(old, { force: true });
    }
  }
}

async function main() {
  let bundle;
  try {
    bundle = path.join(CACHE, `cli-${cacheKey(cliSources())}.cjs`);
    if (!fs.existsSync(bundle)) await build(bundle);
  } catch {
    bundle = undefined;
  }
  require(bundle ?? ENTRY);
}

main();
