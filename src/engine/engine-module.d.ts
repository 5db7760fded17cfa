// The Emscripten glue in wasm/dist has no types of its own; module.ts describes what it exports.
declare module '*slidetile-engine.mjs' {
  import type { EngineFactory } from './module.ts';
  const create: EngineFactory;
  export default create;
}
