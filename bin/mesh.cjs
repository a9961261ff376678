#!/usr/bin/env node
/**
 * Launcher for `npx mesh`. The CLI and the platform modules it uses (bin/mesh.ts, bin/commands/, lib/,
 * constructs/) run from one content-keyed bundle (bin/bundled.cjs), so a run skips tsx's per-file work.
 * Commands require the platform's modules lazily, and the bundle keeps them lazy: `mesh --help` still loads
 * none of them. Definition files never go into it: they are compiled and evaluated apart (lib/mesh/sandbox).
 */
const path = require('node:path');
const { runBundled } = require('./bundled.cjs');

const ROOT = path.join(__dirname, '..');
const ENTRY = path.join(__dirname, 'mesh.ts');
const SOURCES = [path.join(__dirname, 'commands'), path.join(ROOT, 'lib'), path.join(ROOT, 'constructs')];
const inside = (dir, file) => !path.relative(dir, file).startsWith('..');

runBundled({
  name: 'cli',
  entry: ENTRY,
  roots: [ENTRY, ...SOURCES],
  include: (file) => file === ENTRY || (file.endsWith('.ts') && SOURCES.some((dir) => inside(dir, file))),
});
