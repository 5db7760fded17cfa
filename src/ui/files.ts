// Turning a drop or a picker selection into the list the engine opens: the main slide file first,
// companions (MIRAX folder, VMS jpegs) with their relative paths.
import { pickMainFile, type SlideFileInput } from './engine.ts';

export interface PickedFile {
  file: File;
  /** Relative path inside the dropped folder, or the bare name. */
  path: string;
}

const ANNOTATION_EXT = ['.geojson', '.json', '.xml'];

const lower = (s: string) => s.toLowerCase();
/** A previous export's slide.json, or its zip: re-opened as a plan (hooks/useReopen.ts), not as a slide or annotations. */
export const isPlanName = (name: string) => /(^|[\\/])slide\.json$/i.test(name) || lower(name).endsWith('.zip');
export const isAnnotationName = (name: string) => !isPlanName(name) && ANNOTATION_EXT.some((e) => lower(name).endsWith(e));

/**
 * Splits picked files into the slide set and annotation files. The slide set starts with the file
 * the engine will open (its own rule, pickMainFile), the companions after it in their drop order.
 */
export function arrangeFiles(files: PickedFile[]): { slide: PickedFile[]; annotations: PickedFile[]; plans: PickedFile[] } {
  const plans = files.filter((f) => isPlanName(f.path));
  const annotations = files.filter((f) => isAnnotationName(f.path) && !lower(f.path).endsWith('.dat'));
  const rest = files.filter((f) => !annotations.includes(f) && !plans.includes(f));
  if (rest.length === 0) return { slide: [], annotations, plans };
  const main = pickMainFile(rest);
  const first = rest.find((f) => f.path.replace(/^\/+/, '') === main.replace(/^\/+/, '')) ?? rest[0];
  return { slide: [first, ...rest.filter((f) => f !== first)], annotations, plans };
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
