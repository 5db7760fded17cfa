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
