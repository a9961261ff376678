#!/usr/bin/env node
/**
 * Launcher for `npx mesh`. The CLI is TypeScript; its own files (bin/mesh.ts and bin/commands/*.ts) are
 * precompiled into one content-keyed bundle (bin/bundled.cjs), so later runs skip tsx's per-file work (about
 * half of `mesh --help`). Everything else (lib/, the definitions) is loaded when a command needs it.
 */
const path = require('node:path');
const { runBundled } = require('./bundled.cjs');

const ENTRY = path.join(__dirname, 'mesh.ts');
const COMMANDS = path.join(__dirname, 'commands');

runBundled({
  name: 'cli',
  entry: ENTRY,
  roots: [ENTRY, COMMANDS],
  include: (file) => file === ENTRY || path.dirname(file) === COMMANDS,
});
