/**
 * compileDefinitions as a synchronous call: esbuild's plugin API is asynchronous only, and loading the mesh
 * is synchronous for every caller (the CDK app, the CLI, tests). The compile runs in a worker thread while
 * this thread waits on a shared flag.
 */
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CompiledDefinition, CompileProblem, CompileResult } from './bundle';

// The worker loads bundle.ts through tsx, whichever runner (tsx, jest, the app's bundle) loaded this module;
// tsx is resolved from here, not from the working directory (a mesh folder need not hold node_modules).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const done = (message) => {
  workerData.port.postMessage(message);
  Atomics.store(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
};
try {
  require(workerData.tsx);
  const { compileDefinitions } = require(workerData.module);
  compileDefinitions(workerData.root, workerData.domainsDir, workerData.files).then(
    (result) => done({ compiled: result.compiled, problems: [...result.problems] }),
    (err) => done({ error: String(err && err.stack || err) }),
  );
} catch (err) {
  done({ error: String(err && err.stack || err) });
}
`;

export function compileDefinitionsSync(root: string, domainsDir: string, files: readonly string[]): CompileResult {
  if (files.length === 0) return { compiled: [], problems: new Map() };
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      flag,
      port: port2,
      root,
      domainsDir,
      files,
      module: path.join(__dirname, 'bundle.ts'),
      tsx: require.resolve('tsx/cjs'),
    },
    transferList: [port2],
  });
  try {
    Atomics.wait(flag, 0, 0);
    const answer = receiveMessageOnPort(port1)?.message as
      | { compiled: CompiledDefinition[]; problems: [string, CompileProblem[]][]; error?: undefined }
      | { error: string };
    if (!answer || answer.error !== undefined) {
      throw new Error(`compiling the definitions failed: ${answer?.error ?? 'no answer'}`);
    }
    return { compiled: answer.compiled, problems: new Map(answer.problems) };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
