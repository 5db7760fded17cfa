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
