/**
 * compileDefinitions as a synchronous call: esbuild's plugin API is asynchronous only, and loading the mesh
 * is synchronous for every caller (the CDK app, the CLI, tests). The compile runs in a worker thread while
 * this thread waits on a shared flag. The worker stays for the next load while loads follow each other
 * (starting it, with tsx and esbuild, is most of a small compile) and ends once idle.
 */
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CompiledDefinition, CompileProblem, CompileResult } from './bundle';

// The worker loads bundle.ts through tsx, whichever runner (tsx, jest, the app's bundle) loaded this module;
// tsx is resolved from here, not from the working directory (a mesh folder need not hold node_modules).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
const done = (message) => {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
let compileDefinitions;
try {
  require(workerData.tsx);
  ({ compileDefinitions } = require(workerData.module));
} catch (err) {
  compileDefinitions = () => Promise.reject(err);
}
port.on('message', ({ root, domainsDir, files }) => {
  compileDefinitions(root, domainsDir, files).then(
    (result) => done({ compiled: result.compiled, problems: [...result.problems] }),
    (err) => done({ error: String((err && err.stack) || err) }),
  );
});
`;

/** A compile that gives no answer in this time is taken as a dead worker. */
const ANSWER_TIMEOUT_MS = 300_000;
/** An idle worker ends after this long. */
const IDLE_MS = 2_000;

interface Compiler {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  idle?: NodeJS.Timeout;
}

let current: Compiler | undefined;

function compiler(): Compiler {
  if (current) {
    clearTimeout(current.idle);
    return current;
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      flag,
      port: port2,
      module: path.join(__dirname, 'bundle.ts'),
      tsx: require.resolve('tsx/cjs'),
    },
    transferList: [port2],
  });
  // Neither keeps the process alive.
  worker.unref();
  port1.unref();
  const created: Compiler = { worker, port: port1, flag };
  worker.once('exit', () => {
    if (current === created) current = undefined;
  });
  current = created;
  return created;
}

function retire(compiling: Compiler): void {
  if (current === compiling) current = undefined;
  compiling.port.close();
  void compiling.worker.terminate();
}

export function compileDefinitionsSync(root: string, domainsDir: string, files: readonly string[]): CompileResult {
  if (files.length === 0) return { compiled: [], problems: new Map() };
  const compiling = compiler();
  Atomics.store(compiling.flag, 0, 0);
  compiling.port.postMessage({ root, domainsDir, files });
  const waited = Atomics.wait(compiling.flag, 0, 0, ANSWER_TIMEOUT_MS);
  const answer = receiveMessageOnPort(compiling.port)?.message as
    | { compiled: CompiledDefinition[]; problems: [string, CompileProblem[]][]; error?: undefined }
    | { error: string }
    | undefined;
  if (!answer || answer.error !== undefined) {
    retire(compiling);
    throw new Error(
      `compiling the definitions failed: ${answer?.error ?? (waited === 'timed-out' ? 'no answer in time' : 'no answer')}`,
    );
  }
  compiling.idle = setTimeout(() => retire(compiling), IDLE_MS);
  compiling.idle.unref();
  return { compiled: answer.compiled, problems: new Map(answer.problems) };
}
