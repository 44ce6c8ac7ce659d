'use strict';
// Runs the jsii kernel (program.js from the jsii-runtime jar, unpacked by `mvn package`) in this
// one node process, for bin/synth. The stock launcher starts a second node and relays every
// message between the JVM and the kernel; skipping it makes a synth ~0.2 s faster and leaves no
// temporary folder behind. Started as the JVM's JSII_RUNTIME with the kernel's reply channel
// (fd 3) on the JVM's stdout and its console output on stderr:
//   node bin/jsii-host.js PROGRAM_JS [CODE_CACHE_DIR] 3>&1 1>&2
// The kernel reads its requests from fd 3 too; here they arrive on stdin.
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const [program, codeCache] = process.argv.slice(2);
if (!program || !fs.existsSync(program)) {
  process.stderr.write(`jsii-host: no jsii kernel at '${program}'; run bin/build\n`);
  process.exit(2);
}

const KERNEL_FD = 3;
const STDIN_FD = 0;
const readSync = fs.readSync;
const pause = new Int32Array(new SharedArrayBuffer(4));
fs.readSync = function readKernelRequests(fd, ...rest) {
  if (fd !== KERNEL_FD) {
    return readSync.call(fs, fd, ...rest);
  }
  for (;;) {
    try {
      return readSync.call(fs, STDIN_FD, ...rest);
    } catch (e) {
      // A non-blocking stdin has no request yet: wait a moment rather than spin.
      if (e.code !== 'EAGAIN') {
        throw e;
      }
      Atomics.wait(pause, 0, 0, 1);
    }
  }
};

if (codeCache) {
  useCodeCache(codeCache);
}
require(program);

/**
 * Compiles the large modules (the kernel, cdk8s, cdk8s-plus) from V8 code cached in `dir`, keyed
 * by the module's text, so a synth does not parse ~3 MB of JavaScript again (~50 ms). V8 rejects
 * cached code that does not match its version or flags; such a module compiles from source and
 * its cache is written anew when the process exits.
 */
function useCodeCache(dir) {
  const LARGE = 50 * 1024;
  const stale = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileCached(content, filename) {
    if (content.length < LARGE) {
      return compile.call(this, content, filename);
    }
    const key = crypto.createHash('sha256').update(content).digest('hex').slice(0, 40);
    const file = path.join(dir, `${key}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
      stale.push({ script, file });
    }
    const module = this;
    const moduleRequire = (id) => module.require(id);
    moduleRequire.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    moduleRequire.main = process.mainModule;
    moduleRequire.cache = Module._cache;
    moduleRequire.extensions = Module._extensions;
    return script.runInThisContext({ displayErrors: true })
      .call(module.exports, module.exports, moduleRequire, module, filename, path.dirname(filename));
  };
  // At exit the cached code also holds the functions compiled while synthesizing.
  process.on('exit', () => {
    for (const { script, file } of stale) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        const partial = `${file}.${process.pid}`;
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, file);
      } catch {
        // A cache that cannot be written only costs speed.
      }
    }
  });
}
