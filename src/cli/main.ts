// The `slidetile` command line: the same engine and core as the app, for scripts and tests.
// Exit codes: 0 success, 2 unsupported format, 3 corrupt slide or failed read, 1 anything else.
import { parseArgs } from 'node:util';
import { NodeSlide } from '../engine/node.ts';
import { EngineError, level0, levelPx } from '../engine/types.ts';
import { isUsageError, UsageError } from './usage.ts';
import { writePng } from './png.ts';

const USAGE = `usage:
  slidetile info SLIDE [--json]
  slidetile region SLIDE --x X --y Y --level L --width W --height H --out FILE.png
  slidetile tile SLIDE --x X --y Y --level L --width W --height H [--background 255] --out FILE.png
  slidetile associated SLIDE NAME --out FILE.png
  slidetile plan --extent W,H --tile W,H --stride X,Y --last drop|keep|shift --json
  slidetile plan SLIDE (--mpp M | --level L) --tile W,H [--stride X,Y] [--last …] --json
  slidetile extract SLIDE [--mpp M | --level L] [--tile W,H] [--stride X,Y] [--last …] [--std-threshold T]
      [--tissue-threshold F] [--annotations FILE --coverage F --classes A,B] [--limit N]
      [--format png|jpeg --quality Q] [--naming index|qupath] [--workers N] --out OUT.zip|DIR

region: x,y in level-0 pixels, width/height in the level's (OpenSlide read_region, RGBA PNG).
tile:   x,y in the level's pixels (ratiopath read_tile, composited onto the background, RGB PNG).
extract: the app's export zip (or folder); \`slidetile extract --help\` for every option.`;


export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
}
const processIO: CliIO = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

function int(v: string | undefined, name: string): number {
  if (v === undefined) throw new UsageError(`--${name} is required`);
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${v}"`);
  return n;
}

const regionOptions = {
  x: { type: 'string' },
  y: { type: 'string' },
  level: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  background: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function withSlide<T>(file: string | undefined, fn: (s: NodeSlide) => Promise<T>): Promise<T> {
  if (!file) throw new UsageError('SLIDE is required');
  const slide = await NodeSlide.open(file);
  try {
    return await fn(slide);
  } finally {
    await slide.close();
  }
}

async function info(args: string[], io: CliIO) {
  const { positionals, values } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  await withSlide(positionals[0], async (s) => {
    if (values.json) return io.stdout(JSON.stringify(s.info, null, 2) + '\n');
    const p = s.info.properties;
    io.stdout(`vendor: ${s.info.vendor ?? 'unknown'}\n`);
    io.stdout(`mpp: ${p['openslide.mpp-x'] ?? '?'} x ${p['openslide.mpp-y'] ?? '?'} µm/px; objective: ${p['openslide.objective-power'] ?? '?'}\n`);
    s.info.levels.forEach((l, i) => io.stdout(`level ${i}: ${l.width} x ${l.height}, downsample ${l.downsample}\n`));
    for (const a of s.info.associated) io.stdout(`associated ${a.name}: ${a.width} x ${a.height}\n`);
    io.stdout(`properties: ${Object.keys(p).length}\n`);
  });
}

async function region(args: string[], kind: 'region' | 'tile') {
  const { positionals, values: v } = parseArgs({ args, options: regionOptions, allowPositionals: true });
  const [x, y, level, w, h] = [int(v.x, 'x'), int(v.y, 'y'), int(v.level, 'level'), int(v.width, 'width'), int(v.height, 'height')];
  if (!v.out) throw new UsageError('--out FILE.png is required');
  await withSlide(positionals[0], async (s) => {
    if (kind === 'region') {
      const img = await s.readRegion(level0(x), level0(y), level, levelPx(w), levelPx(h));
      writePng(v.out!, img.width, img.height, img.data, 4);
    } else {
      const bg = v.background === undefined ? 255 : int(v.background, 'background');
      if (bg < 0 || bg > 255) throw new UsageError('--background must be 0..255');
      const img = await s.readTile(levelPx(x), levelPx(y), level, levelPx(w), levelPx(h), bg);
      writePng(v.out!, img.width, img.height, img.data, 3);
    }
  });
}

async function associated(args: string[]) {
  const { positionals, values } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true });
  if (!positionals[1]) throw new UsageError('NAME is required (e.g. label, macro, thumbnail)');
  if (!values.out) throw new UsageError('--out FILE.png is required');
  await withSlide(positionals[0], async (s) => {
    const img = await s.associatedImage(positionals[1]);
    writePng(values.out!, img.width, img.height, img.data, 4);
  });
}

async function extract(args: string[], io: CliIO): Promise<number> {
  const { extractCommand, ExtractUsageError, EXTRACT_USAGE } = await import('./extract.ts');
  const live = io === processIO;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  if (live) process.once('SIGINT', onSigint);
  try {
    return await extractCommand(args, { ...io, progress: live && process.stderr.isTTY === true, signal: ac.signal });
  } catch (e) {
    if (e instanceof ExtractUsageError) {
      io.stderr(`slidetile extract: ${e.message}\n${EXTRACT_USAGE}\n`);
      return 1;
    }
    throw e;
  } finally {
    if (live) process.off('SIGINT', onSigint);
  }
}

async function plan(args: string[], io: CliIO): Promise<number> {
  const { planCommand } = await import('./plan.ts');
  return planCommand(args, {
    openInfo: (file) => withSlide(file, async (s) => s.info),
    stdout: io.stdout,
    stderr: io.stderr,
  });
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'info':
        await info(rest, io);
        return 0;
      case 'region':
      case 'tile':
        await region(rest, cmd);
        return 0;
      case 'associated':
        await associated(rest);
        return 0;
      case 'plan':
        return await plan(rest, io);
      case 'extract':
        return await extract(rest, io);
      case undefined:
      case '-h':
      case '--help':
        io.stdout(USAGE + '\n');
        return cmd ? 0 : 1;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    return fail(e, rest[0], io);
  }
}

function fail(e: unknown, file: string | undefined, io: CliIO): number {
  if (e instanceof EngineError) {
    io.stderr(`slidetile: ${e.file ?? file ?? ''}: ${e.message}\n`);
    return e.code === 'unsupported-format' ? 2 : e.code === 'corrupt-slide' || e.code === 'read-failed' ? 3 : 1;
  }
  if (isUsageError(e)) {
    io.stderr(`slidetile: ${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  // an error that knows its own file (a refused --annotations file) names it, not the slide
  const own = e && typeof e === 'object' && 'file' in e && typeof e.file === 'string' ? e.file : undefined;
  io.stderr(`slidetile: ${own ?? file ?? ''}: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}
