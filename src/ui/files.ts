// Turning a drop or a picker selection into the list the engine opens: the main slide file first,
// companions (MIRAX folder, VMS jpegs) with their relative paths.
import type { SlideFileInput } from './engine.ts';

export interface PickedFile {
  file: File;
  /** Relative path inside the dropped folder, or the bare name. */
  path: string;
}

// formats whose main file names the slide; the rest of a drop are its companions.
const MAIN_EXT = ['.svs', '.tif', '.tiff', '.ndpi', '.vms', '.vmu', '.scn', '.mrxs', '.svslide', '.bif', '.dcm', '.vsi'];
const ANNOTATION_EXT = ['.geojson', '.json', '.xml'];

const lower = (s: string) => s.toLowerCase();
export const isAnnotationName = (name: string) => ANNOTATION_EXT.some((e) => lower(name).endsWith(e));

function rank(p: PickedFile): number {
  const n = lower(p.path);
  // a mirax/vms index wins over the tiffs or jpegs it points to
  if (n.endsWith('.mrxs') || n.endsWith('.vms') || n.endsWith('.vmu')) return 0;
  const depth = p.path.split('/').length;
  if (MAIN_EXT.some((e) => n.endsWith(e))) return 1 + depth;
  return 100 + depth;
}

/** Splits picked files into the slide set (main first) and annotation files. */
export function arrangeFiles(files: PickedFile[]): { slide: PickedFile[]; annotations: PickedFile[] } {
  const annotations = files.filter((f) => isAnnotationName(f.path) && !lower(f.path).endsWith('.dat'));
  const rest = files.filter((f) => !annotations.includes(f));
  const slide = [...rest].sort((a, b) => rank(a) - rank(b));
  return { slide, annotations };
}

/** The engine's input: `{file, path}` pairs so companions keep their folder layout. */
export function toEngineInput(files: PickedFile[]): SlideFileInput[] {
  return files.map((f) => ({ file: f.file, path: f.path }));
}

export function fromFileList(list: FileList | File[]): PickedFile[] {
  return Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

// FileSystemEntry walking: folders dropped on the page (MIRAX comes as a .mrxs plus a folder).
function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, path });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    for (const c of children) await walk(c, path, out);
  }
}

/** Everything in a drop: files, several files, folders. Entries must be taken synchronously. */
export async function fromDataTransfer(dt: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const plain: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) plain.push(f);
    }
  }
  if (entries.length === 0 && plain.length === 0) plain.push(...Array.from(dt.files ?? []));
  const out: PickedFile[] = fromFileList(plain);
  for (const e of entries) await walk(e, '', out);
  return out;
}
