// The browser build's view of the engine's Emscripten glue (wasm/dist/slidetile-engine.mjs).
//
// One glue serves the browser workers and the CLI (wasm/build.sh links it with
// -sENVIRONMENT=web,worker,node), so it holds a Node path: `require("fs")`, `require("path")`,
// `require("crypto")` behind `ENVIRONMENT_IS_NODE`. A browser never takes that path (there is no
// `process` in a worker), but the bundler still resolves each require(), swaps in an empty stub for
// the Node built-in and warns about it on every build. In the browser build we therefore state what
// is true there anyway — ENVIRONMENT_IS_NODE is false — and replace the require() calls, now dead,
// by an error naming the module, so no Node built-in reaches the bundle. Node (the CLI, the tests)
// loads the untouched file (src/engine/node.ts). The lasting fix is a glue linked for the browser
// alone (ENVIRONMENT=web,worker); until the engine is relinked, this keeps the build clean.
import type { Plugin } from 'vite';

const NODE_TEST = /\bENVIRONMENT_IS_NODE\s*=\s*typeof process\b[^;]*;/;
const REQUIRE_CALL = /\brequire\(\s*(["'])([^"']+)\1\s*\)/g;

export interface BrowserGlue {
  code: string;
  /** the Node built-ins whose require() calls were removed, in order of appearance */
  removed: string[];
  /** why the glue could not be made browser-only (the bundler will warn about what is left) */
  problem: string | null;
}

export function browserOnlyGlue(code: string): BrowserGlue {
  const removed: string[] = [];
  const requires = [...code.matchAll(REQUIRE_CALL)];
  if (requires.length === 0) return { code, removed, problem: null };
  // only safe when every require() sits behind the runtime check we turn off
  if (!NODE_TEST.test(code)) return { code, removed, problem: 'the glue calls require() but has no `ENVIRONMENT_IS_NODE = typeof process …` test to turn off' };
  const out = code.replace(NODE_TEST, 'ENVIRONMENT_IS_NODE=false;').replace(REQUIRE_CALL, (_m, _q, name: string) => {
    removed.push(name);
    return `(()=>{throw new Error(${JSON.stringify(`the engine's Node path (Node's "${name}" module) is not part of the browser build`)})})()`;
  });
  return { code: out, removed, problem: null };
}

const GLUE = /[\\/]wasm[\\/]dist[\\/]slidetile-engine\.mjs$/;

/** Vite plugin: the browser build (page and workers) bundles the glue without its Node path. */
export function engineGlueForBrowser(): Plugin {
  return {
    name: 'slidetile-engine-glue-browser',
    // build only: vitest runs the glue in Node through Vite's pipeline and needs its Node path
    apply: 'build',
    enforce: 'pre',
    transform: {
      filter: { id: GLUE },
      handler(code, id) {
        if (this.environment && this.environment.config.consumer !== 'client') return null;
        const glue = browserOnlyGlue(code);
        if (glue.problem) {
          this.warn(`${id}: ${glue.problem}`);
          return null;
        }
        return glue.removed.length ? { code: glue.code, map: null } : null;
      },
    },
  };
}
