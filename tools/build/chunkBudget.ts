// Bundle size, judged by when a chunk is loaded. Vite's own check (build.chunkSizeWarningLimit) treats
// every chunk alike, but only what the page loads before its first paint makes the app slow to open:
// the entry and what it imports statically. A chunk behind a dynamic import() loads when its feature
// is used — h5wasm's is 4.4 MB because the HDF5 library is inlined in it, and it loads only when an
// export asks for coords.h5. So what the first paint loads has a budget of its own, and lazy chunks
// get a ceiling that still catches an accident (a whole library pulled into one).
import type { Plugin } from 'vite';

/** kB (1000 bytes, as Vite counts), all chunks loaded before the first paint together. Today about
 * 530: React DOM, zod and the app's own code. Konva (+340), JSZip (+100) or h5wasm (+4400) pulled
 * back into the first load would break it. */
export const FIRST_PAINT_KB = 600;
/** kB: any chunk at all (Vite's build.chunkSizeWarningLimit is set to this) */
export const LAZY_CHUNK_KB = 6000;

interface ChunkLike {
  fileName: string;
  isEntry: boolean;
  imports: string[];
  code: string;
}

/** The chunks the page loads before its first paint: the entries and their static imports, transitively. */
export function firstPaintChunks<C extends ChunkLike>(chunks: C[]): C[] {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<string>();
  const visit = (c: C | undefined) => {
    if (!c || seen.has(c.fileName)) return;
    seen.add(c.fileName);
    c.imports.forEach((f) => visit(byName.get(f)));
  };
  chunks.filter((c) => c.isEntry).forEach(visit);
  return chunks.filter((c) => seen.has(c.fileName));
}

export function chunkBudget(): Plugin {
  return {
    name: 'slidetile-chunk-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const first = firstPaintChunks(Object.values(bundle).filter((c) => c.type === 'chunk'));
      const kb = first.reduce((n, c) => n + c.code.length, 0) / 1000;
      if (kb > FIRST_PAINT_KB)
        this.warn(
          `the first paint loads ${kb.toFixed(0)} kB of script (${first.map((c) => c.fileName).join(', ')}; budget ${FIRST_PAINT_KB} kB): load what the first screen does not need with import()`,
        );
    },
  };
}
