// Which engine made an export: the wasm build's own manifest (wasm/dist/manifest.json, written by
// wasm/build.sh), so slide.json can say exactly which OpenSlide build read the pixels.
import manifest from '../../wasm/dist/manifest.json';

export interface EngineBuild {
  /** e.g. "OpenSlide 3.4.1 (Debian openslide …) compiled to WebAssembly" */
  engine: string;
  /** sha256 of slidetile-engine.wasm */
  wasmSha256: string;
  /** the hash of every build input (sources, patches, flags): equal hashes, equal builds */
  inputsHash: string;
}

export const ENGINE_BUILD: EngineBuild = {
  engine: manifest.engine,
  wasmSha256: manifest.files['slidetile-engine.wasm'].sha256,
  inputsHash: manifest.inputsHash,
};
