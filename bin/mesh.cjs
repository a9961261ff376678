#!/usr/bin/env node
// Launcher for `npx mesh`: the CLI and the definition files it loads are TypeScript, run through tsx.
require('tsx/cjs');
require('./mesh.ts');
