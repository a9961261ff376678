#!/usr/bin/env node
/**
 * The CDK app's launcher (cdk.json: `node bin/app.cjs`): bin/app.ts with the platform's modules (lib/,
 * constructs/) precompiled into one content-keyed bundle (bin/bundled.cjs), so synth starts without tsx's
 * per-file work. Definition files never go into it: they are compiled and evaluated apart (lib/mesh/sandbox).
 */
const path = require('node:path');
const { runBundled } = require('./bundled.cjs');

const ROOT = path.join(__dirname, '..');
const PLATFORM = ['lib', 'constructs'].map((dir) => path.join(ROOT, dir));
const inside = (dir, file) => !path.relative(dir, file).startsWith('..');

runBundled({
  name: 'app',
  entry: path.join(__dirname, 'app.ts'),
  roots: [path.join(__dirname, 'app.ts'), ...PLATFORM],
  include: (file) => file.endsWith('.ts') && PLATFORM.some((dir) => inside(dir, file)),
});
