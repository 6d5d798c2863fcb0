/* global WebAssembly */
// Worker thread that keeps libxml2's WebAssembly module compiled between xmllint runs, so a run
// costs one instantiation and the schema compile instead of a worker start plus a wasm compile.
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const packageDir = path.dirname(require.resolve('xmllint-wasm/package.json'));
// xmllint-node.js registers its own worker message handler; it ignores messages without its key.
const createXmllint = require(path.join(packageDir, 'xmllint-node.js'));
const compiled = new WebAssembly.Module(readFileSync(path.join(packageDir, 'xmllint.wasm')));

function run(request) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (exitCode) => {
      if (settled) return;
      settled = true;
      resolve({ id: request.id, exitCode, stdout, stderr });
    };
    createXmllint({
      inputFiles: request.inputFiles,
      arguments: request.args,
      print(text) { stdout += text + '\n'; },
      printErr(text) { stderr += text + '\n'; },
      onExit: finish,
      onAbort(reason) { stderr += 'WASM Abort: ' + reason + '\n'; finish(-1); },
      wasmMemory: new WebAssembly.Memory({ initial: request.initialMemory, maximum: request.maxMemory }),
      instantiateWasm(imports, receive) {
        const instance = new WebAssembly.Instance(compiled, imports);
        receive(instance, compiled);
        return instance.exports;
      },
    }).catch((error) => {
      // Emscripten rejects on exit(); the exit code has already been reported through onExit.
      if (!settled) { stderr += String(error) + '\n'; finish(-1); }
    });
  });
}

parentPort.on('message', async (message) => {
  if (!message || message.kind !== 'ksef-xmllint-run') return;
  parentPort.postMessage({ kind: 'ksef-xmllint-result', ...(await run(message)) });
});
