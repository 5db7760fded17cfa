// The engine in Node (tests, CLI, benchmark): the same wasm module, reading real files through NODEFS.
// In-process here (one slide, one thread); node-pool.ts serves a slide from worker threads.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenSlideHandle, toEngineError } from './binding.ts';
import type { EngineFactory, EngineModule } from './module.ts';
import type { Level0Px, LevelPx, ReadOptions, SlideSource } from './types.ts';
import { EngineError } from './types.ts';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../wasm/dist');

/** Instantiates a fresh engine module (each has its own heap and file system). */
export async function loadEngineNode(): Promise<EngineModule> {
  // emscripten 3.1.6's ES module output still calls require() and __dirname on Node
  const g = globalThis as Record<string, unknown>;
  g.require ??= createRequire(import.meta.url);
  g.__dirname ??= distDir;
  const { default: create } = (await import(/* @vite-ignore */ path.join(distDir, 'slidetile-engine.mjs'))) as { default: EngineFactory };
  // pass the bytes ourselves: its loader would try Node's fetch() on a file path and fail
  const wasmBinary = await readFile(path.join(distDir, 'slidetile-engine.wasm'));
  return create({ wasmBinary, print: () => {}, printErr: () => {} });
}

let mountCounter = 0;

/** Mounts the folder holding `file` (companions live beside it) and returns the mount and the path inside. */
export function mountBeside(m: EngineModule, file: string): { mountPoint: string; inside: string } {
  const abs = path.resolve(file);
  const mountPoint = `/host${mountCounter++}`;
  m.FS.mkdir(mountPoint);
  m.FS.mount(m.NODEFS, { root: path.dirname(abs) }, mountPoint);
  return { mountPoint, inside: `${mountPoint}/${path.basename(abs)}` };
}

/** A slide opened in-process. Companion files are found beside the main file, as OpenSlide does. */
export class NodeSlide implements SlideSource {
  private constructor(
    private readonly m: EngineModule,
    private readonly mountPoint: string,
    private readonly handle: OpenSlideHandle,
  ) {}

  get info() {
    return this.handle.info;
  }

  static async open(file: string, module?: EngineModule): Promise<NodeSlide> {
    const m = module ?? (await loadEngineNode());
    const { mountPoint, inside } = mountBeside(m, file);
    try {
      const handle = OpenSlideHandle.open(m, inside, file);
      return new NodeSlide(m, mountPoint, handle);
    } catch (e) {
      m.FS.unmount(mountPoint);
      throw toEngineError(e, file);
    }
  }

  private run<T>(opts: ReadOptions | undefined, fn: () => T): Promise<T> {
    if (opts?.signal?.aborted) return Promise.reject(new EngineError('aborted', 'the read was cancelled', this.handle.displayName));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(toEngineError(e, this.handle.displayName));
    }
  }

  readRegion(x0: Level0Px, y0: Level0Px, level: number, width: LevelPx, height: LevelPx, opts?: ReadOptions) {
    return this.run(opts, () => this.handle.readRegion(x0, y0, level, width, height));
  }

  readTile(x: LevelPx, y: LevelPx, level: number, width: LevelPx, height: LevelPx, background = 255, opts?: ReadOptions) {
    return this.run(opts, () => this.handle.readTile(x, y, level, width, height, background));
  }

  associatedImage(name: string, opts?: ReadOptions) {
    return this.run(opts, () => this.handle.associatedImage(name));
  }

  async close(): Promise<void> {
    this.handle.close();
    try {
      this.m.FS.unmount(this.mountPoint);
      this.m.FS.rmdir(this.mountPoint);
    } catch {
      // already unmounted
    }
  }
}

/** openslide_detect_vendor on a real file (null when no driver claims it). */
export async function detectVendorNode(file: string, module?: EngineModule): Promise<string | null> {
  const m = module ?? (await loadEngineNode());
  const { mountPoint, inside } = mountBeside(m, file);
  try {
    return OpenSlideHandle.detectVendor(m, inside);
  } finally {
    m.FS.unmount(mountPoint);
  }
}
