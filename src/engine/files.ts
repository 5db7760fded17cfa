// Which of the dropped files is the slide: OpenSlide opens one main file and finds its companions
// (MIRAX's folder, VMS's JPEGs) beside it by path. The one rule for it: the UI labels and orders a
// drop with this function too, so the file it names is the file the engine opened.
import type { SlideFile } from './protocol.ts';

// most specific first: an index file names the others, so it wins over the images it names
// (.dcm: DICOM; .vsi: not read by OpenSlide, but it is the file the user meant, so the refusal names it)
const MAIN_EXTENSIONS = ['.mrxs', '.vms', '.vmu', '.svslide', '.svs', '.ndpi', '.scn', '.bif', '.tif', '.tiff', '.dcm', '.vsi'];

export type SlideFileInput = File | { file: File; path: string };

export function toSlideFiles(inputs: SlideFileInput[]): SlideFile[] {
  return inputs.map((f) => {
    if (f instanceof Blob) {
      const rel = (f as File).webkitRelativePath;
      return { path: rel || (f as File).name, file: f };
    }
    return { path: f.path.replace(/^\/+/, ''), file: f.file };
  });
}

function rank(path: string): number {
  const lower = path.toLowerCase();
  const i = MAIN_EXTENSIONS.findIndex((ext) => lower.endsWith(ext));
  return i < 0 ? MAIN_EXTENSIONS.length : i;
}

/** The main file's path: the best-ranked extension, then the shallowest path, then input order. */
export function pickMainFile(files: readonly { path: string }[]): string {
  if (files.length === 0) throw new Error('no files were given');
  let best = files[0];
  for (const f of files) {
    const d = rank(f.path) - rank(best.path) || f.path.split('/').length - best.path.split('/').length;
    if (d < 0) best = f;
  }
  return best.path;
}

// Error mapping: OpenSlide names files by the path it opened them under inside the engine's file
// system (/slide/… in the browser, /hostN/… in Node); a user knows them by their own paths.
const INTERNAL_MOUNT = /(^|[\s'"“(])\/(?:slide|host\d+)\//g;

/**
 * `message` with the engine's internal paths turned back into the user's: the folder the main file
 * was mounted in (`mountedMain`'s) becomes the folder the user gave it from (`userMain`'s), so
 * "Couldn't open /host0/missing-map.jpg" reads "Couldn't open missing-map.jpg" for a dropped
 * "slide.vms", and "… /data/missing-map.jpg" for "/data/slide.vms" on the command line.
 */
export function userPaths(message: string, mountedMain: string, userMain: string): string {
  const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');
  const mountedDir = dir(mountedMain);
  const out = mountedDir && mountedDir !== '/' ? message.split(mountedDir).join(dir(userMain)) : message;
  return withoutMounts(out);
}

/** Any path still under an engine mount root (a companion in another folder) loses only the root. */
export function withoutMounts(message: string): string {
  return message.replace(INTERNAL_MOUNT, '$1');
}
