// The sandbox process: runs compiled definition files and answers with plain JSON on stdout.
// It is started by sandbox.ts under Node's permission model (no file writes or reads, no child processes, no
// native addons) with an empty environment, and reads its input on stdin. Each domain runs in a worker of
// its own (a separate V8 isolate), so one domain's code cannot touch another domain's values, and a domain
// that loops or exhausts memory is stopped without stopping the others.
'use strict';
const { Worker } = require('node:worker_threads');

// Runs inside each domain's worker. Everything it relies on is captured before a definition runs.
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { types } = require('node:util');
const isProxy = types.isProxy;
const getPrototypeOf = Object.getPrototypeOf;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const isArray = Array.isArray;
const isFinite = Number.isFinite;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
const stringify = JSON.stringify;
const FunctionConstructor = Function;
const StringOf = String;

const PLAIN = 'definitions are plain data: strings, numbers, booleans, null, arrays and objects';

function typeName(proto) {
  try {
    const ctor = getOwnPropertyDescriptor(proto, 'constructor');
    const name = ctor && typeof ctor.value === 'function' ? ctor.value.name : '';
    return name || 'an object with a custom prototype';
  } catch {
    return 'an object with a custom prototype';
  }
}

function plain(value, path, problems, ancestors) {
  const kind = typeof value;
  if (value === null || kind === 'string' || kind === 'boolean' || kind === 'undefined') return value;
  if (kind === 'number') {
    if (!isFinite(value)) problems.push({ path, message: 'is ' + StringOf(value) + '; only finite numbers are allowed' });
    return value;
  }
  if (kind === 'function') {
    problems.push({ path, message: 'is a function; ' + PLAIN });
    return undefined;
  }
  if (kind !== 'object') {
    problems.push({ path, message: 'is a ' + kind + '; ' + PLAIN });
    return undefined;
  }
  if (isProxy(value)) {
    problems.push({ path, message: 'is a Proxy; ' + PLAIN });
    return undefined;
  }
  if (ancestors.includes(value)) {
    problems.push({ path, message: 'refers to itself (a circular reference); ' + PLAIN });
    return undefined;
  }
  const array = isArray(value);
  const proto = getPrototypeOf(value);
  if (array ? proto !== ARRAY_PROTO : proto !== OBJECT_PROTO && proto !== null) {
    const name = typeName(proto);
    const hint = name === 'Date' ? "; write dates as 'YYYY-MM-DD' strings" : '';
    problems.push({ path, message: 'is an instance of ' + name + hint + '; ' + PLAIN });
    return undefined;
  }
  ancestors.push(value);
  const copy = array ? [] : {};
  for (const key of ownKeys(value)) {
    if (typeof key === 'symbol') {
      problems.push({ path, message: 'has a symbol key (' + StringOf(key.description) + '); ' + PLAIN });
      continue;
    }
    if (array && key === 'length') continue;
    const childPath = path.concat(array && /^\\d+$/.test(key) ? Number(key) : key);
    const descriptor = getOwnPropertyDescriptor(value, key);
    if (descriptor.get || descriptor.set) {
      problems.push({ path: childPath, message: 'is a getter or setter; ' + PLAIN });
      continue;
    }
    const child = plain(descriptor.value, childPath, problems, ancestors);
    if (child !== undefined) copy[key] = child;
  }
  ancestors.pop();
  return copy;
}

function denyRequire(name) {
  throw new Error('definition files cannot load modules at run time (tried "' + StringOf(name) + '")');
}

const results = [];
for (const { file, code } of workerData.files) {
  parentPort.postMessage(stringify({ started: file }));
  let exported;
  try {
    const module = { exports: {} };
    new FunctionConstructor('module', 'exports', 'require', code)(module, module.exports, denyRequire);
    exported = module.exports;
  } catch (err) {
    results.push({ file, thrown: messageOf(err) });
    continue;
  }
  let value;
  try {
    if (exported === null || typeof exported !== 'object' || isProxy(exported)) throw new Error('module.exports was replaced');
    value = exported.default;
  } catch (err) {
    results.push({ file, thrown: messageOf(err) });
    continue;
  }
  if (value === undefined) {
    results.push({ file, missingDefault: true });
    continue;
  }
  const problems = [];
  let copy;
  try {
    copy = plain(value, [], problems, []);
  } catch (err) {
    results.push({ file, thrown: messageOf(err) });
    continue;
  }
  results.push(problems.length > 0 ? { file, problems } : { file, json: stringify(copy) });
}
parentPort.postMessage(stringify({ results }));

function messageOf(err) {
  try {
    if (err !== null && typeof err === 'object') {
      const message = getOwnPropertyDescriptor(err, 'message');
      if (message && typeof message.value === 'string') return message.value;
    }
    return StringOf(err);
  } catch {
    return 'a value that cannot be shown';
  }
}
`;

function readStdin() {
  const chunks = [];
  const fs = require('node:fs');
  const buffer = Buffer.alloc(1 << 16);
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (err) {
      if (err.code === 'EAGAIN') continue;
      if (err.code === 'EOF') break;
      throw err;
    }
    if (read === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function runDomain(domain, options) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { files: domain.files },
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    // What definitions print is not part of the answer.
    worker.stdout.resume();
    worker.stderr.resume();
    // The file running when something goes wrong is the one to blame.
    let running;
    const failed = (what) => ({ domain: domain.name, failed: what, file: running });
    const timer = setTimeout(() => {
      worker.terminate();
      finish(failed(`did not finish within ${options.timeoutMs} ms (a loop that never ends?)`));
    }, options.timeoutMs);
    worker.on('message', (message) => {
      const parsed = JSON.parse(message);
      if (parsed.started) {
        running = parsed.started;
        return;
      }
      finish({ domain: domain.name, results: parsed.results });
      worker.terminate();
    });
    worker.once('error', (err) => {
      const tooBig = err && err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(failed(tooBig ? `used more than ${options.memoryMb} MB of memory` : `stopped: ${err?.message}`));
    });
    worker.once('exit', (code) => finish(failed(`ended the evaluation (exit code ${code})`)));
  });
}

async function main() {
  const input = JSON.parse(readStdin());
  const answers = [];
  const queue = [...input.domains];
  const runners = Array.from({ length: Math.max(1, Math.min(input.parallel, queue.length)) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) answers.push(await runDomain(next, input));
  });
  await Promise.all(runners);
  process.stdout.write(JSON.stringify(answers));
}

main().catch((err) => {
  process.stderr.write(String(err?.stack));
  process.exitCode = 70;
});
