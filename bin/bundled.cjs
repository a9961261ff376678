/**
 * Runs a TypeScript entry from a precompiled CommonJS bundle cached under node_modules/.cache/mesh/, named by a
 * hash of every source it may hold, so a run skips tsx's per-file work (start-up and, on a cold machine, one
 * compile per file). What stays outside the bundle is required from its original file: packages always, and
 * the files `include` leaves out. `__dirname` keeps each file's own folder, so files found beside a module
 * (rule files, schemas, the sandbox script) are still read from where they are. Any problem with the cache
 * (read-only folder, esbuild missing) falls back to running the sources through tsx.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const CACHE = path.join(__dirname, '..', 'node_modules', '.cache', 'mesh');
const SOURCE = /\.(ts|cjs|js|json)$/;

/** Every source file under the folders (and the single files), sorted: what the cache key covers. */
function sourcesOf(roots) {
  const files = [];
  const walk = (entry) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isFile()) {
      if (SOURCE.test(entry)) files.push(entry);
      return;
    }
    for (const name of fs.readdirSync(entry).sort()) {
      if (name !== 'node_modules' && !name.startsWith('.')) walk(path.join(entry, name));
    }
  };
  for (const root of roots) walk(root);
  return files;
}

function cacheKey(entry, files) {
  const hash = crypto.createHash('sha256');
  hash.update(`${process.version}\0${require('esbuild/package.json').version}\0${entry}\0`);
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Bundles `entry`: relative imports `include` accepts go in, everything else stays a require() of the original. */
async function build(entry, include, outfile, name) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    logLevel: 'silent',
    // Stack traces of the platform's own errors point at the sources.
    sourcemap: 'inline',
    plugins: [
      {
        name: 'mesh-bundle-scope',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const target = path.resolve(args.resolveDir, args.path);
            const asTs = fs.existsSync(`${target}.ts`)
              ? `${target}.ts`
              : fs.existsSync(path.join(target, 'index.ts'))
                ? path.join(target, 'index.ts')
                : target;
            return include(asTs) ? { path: asTs } : { path: target, external: true };
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
  for (const old of fs.readdirSync(CACHE)) {
    const file = path.join(CACHE, old);
    if (old.startsWith(`${name}-`) && file !== outfile && Date.now() - fs.statSync(file).mtimeMs > 3_600_000) {
      fs.rmSync(file, { force: true });
    }
  }
}

/**
 * Requires the bundle of `entry` (built first when its sources changed). `name` prefixes the cached file;
 * `roots` are the folders and files whose content keys the cache; `include(file)` says which resolved
 * relative imports go into the bundle.
 */
async function runBundled({ name, entry, roots, include }) {
  let bundle;
  try {
    bundle = path.join(CACHE, `${name}-${cacheKey(entry, sourcesOf(roots))}.cjs`);
    if (!fs.existsSync(bundle)) await build(entry, include, bundle, name);
  } catch {
    bundle = undefined;
  }
  // The bundle is plain JavaScript: tsx is registered only for the sources (the definition compiler's
  // worker registers its own), so it does not inspect the bundle on the way in.
  if (!bundle) require('tsx/cjs');
  require(bundle ?? entry);
}

module.exports = { runBundled };
