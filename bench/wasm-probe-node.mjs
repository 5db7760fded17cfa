// bench only: `node --import ./bench/wasm-probe-node.mjs bin/slidetile.mjs …` with
// BENCH_WASM_PROBE_DIR set. Preloaded in the main thread and (execArgv is inherited) in every worker
// thread: it keeps each wasm instance's Memory (wrapping WebAssembly.instantiate) and writes the
// thread's wasm heap sizes to DIR/<pid>-<thread>.json every second and at exit, so the export-size
// figure can give the CLI's per-worker wasm heaps without a hook in the CLI (bench/export.mjs).
import { writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

const dir = process.env.BENCH_WASM_PROBE_DIR;
if (dir && !globalThis.__benchWasm) {
  const mems = (globalThis.__benchWasm = []);
  const grab = (r) => {
    const inst = r instanceof WebAssembly.Instance ? r : r && r.instance;
    if (inst) for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) mems.push(v);
    return r;
  };
  const inst = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...a) {
    return inst.apply(this, a).then(grab);
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming)
    WebAssembly.instantiateStreaming = function (...a) {
      return streaming.apply(this, a).then(grab);
    };
  const dump = () => {
    if (mems.length) writeFileSync(`${dir}/${process.pid}-${threadId}.json`, JSON.stringify(mems.map((m) => m.buffer.byteLength)));
  };
  setInterval(dump, 1000).unref();
  process.on('exit', dump);
}
