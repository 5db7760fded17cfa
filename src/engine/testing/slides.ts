// The slides the engine is tested on: the real ones in ../shared/slides and the generated samples.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const SHARED_SLIDES = path.resolve(REPO, '../shared/slides');
export const SAMPLES_DIR = path.join(REPO, '.cache/samples');

export interface TestSlide {
  id: string;
  /** absolute path of the main file */
  path: string;
  vendor: string;
  format: string;
}

function load(listFile: string, base: string): TestSlide[] {
  if (!existsSync(listFile)) throw new Error(`${listFile} is missing: run tools/samples/make-all.sh`);
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as { id: string; path: string; vendor: string; format: string }[];
  return list.map((s) => ({ ...s, path: path.join(base, s.path) }));
}

export const realSlides = () => load(path.join(REPO, 'tools/samples/real-slides.json'), SHARED_SLIDES);
export const sampleSlides = () => load(path.join(SAMPLES_DIR, 'samples.json'), SAMPLES_DIR);

/** A small seeded PRNG (mulberry32), so failures name reproducible regions. */
export function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples of what OpenSlide 4.0.1 does differently (tools/samples/gen_samples41.py, made by vitest's global setup). */
export const SAMPLES41_DIR = path.join(REPO, '.cache/samples41');
export const samples41 = () => load(path.join(SAMPLES41_DIR, 'samples41.json'), SAMPLES41_DIR);

/** Crafted Ventana BIFs for CVE-2026-48977 (tools/samples/gen_bif_crafted.py). */
export const CRAFTED_BIF_DIR = path.join(REPO, '.cache/crafted-bif');
export function craftedBifs(): { id: string; path: string; what: string }[] {
  const list = path.join(CRAFTED_BIF_DIR, 'crafted-bif.json');
  if (!existsSync(list)) throw new Error(`${list} is missing: run /usr/bin/python3 tools/samples/gen_bif_crafted.py ${CRAFTED_BIF_DIR}`);
  return (JSON.parse(readFileSync(list, 'utf8')) as { id: string; path: string; what: string }[]).map((c) => ({ ...c, path: path.join(CRAFTED_BIF_DIR, c.path) }));
}
