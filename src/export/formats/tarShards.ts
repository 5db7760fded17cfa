// WebDataset shards: POSIX ustar archives of samples (`tile_00012.png` + `tile_00012.json`), a new
// shard whenever the current one would pass the chosen size. Each shard is handed to the export's
// sink as one file (`shards/<stem>-000000.tar`), so memory is bounded by one shard whatever the
// export's size, and the shards land in a zip, a folder or the CLI's directory alike.
//
// Why our own writer: the format needed is ustar's fixed 512-byte header and nothing else (names are
// short ASCII, files are far below 8 GiB, no links or long names); npm's tar writers (tar-stream,
// tar) are built on Node streams and would pull their polyfills into the browser bundle.

const BLOCK = 512;
const enc = new TextEncoder();

/** One ustar header for a regular file. `mtime` in seconds. */
export function ustarHeader(name: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const nameBytes = enc.encode(name);
  if (nameBytes.length > 100) throw new Error(`tar member name longer than 100 bytes: ${name}`);
  if (size > 0o77777777777) throw new Error(`tar member larger than 8 GiB: ${name}`);
  h.set(nameBytes, 0);
  const octal = (v: number, at: number, width: number) => {
    // width-1 octal digits, NUL-terminated, as GNU and POSIX tar write them
    h.set(enc.encode(v.toString(8).padStart(width - 1, '0')), at);
  };
  octal(0o644, 100, 8); // mode
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(Math.floor(mtime), 136, 12);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = 0x30; // typeflag '0': regular file
  h.set(enc.encode('ustar'), 257); // magic "ustar\0"
  h.set(enc.encode('00'), 263); // version
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  h.set(enc.encode(sum.toString(8).padStart(6, '0')), 148);
  h[154] = 0; // six digits, NUL, space
  h[155] = 0x20;
  return h;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Bytes a member takes in the archive: its header, its data and the padding to a block. */
export function tarMemberSize(size: number): number {
  return BLOCK + size + padding(size);
}

export interface ShardOutput {
  /** writes one finished shard */
  write(path: string, data: Uint8Array): Promise<void>;
}

export interface ShardOptions {
  /** shard paths are `${prefix}${NNNNNN}.tar`, e.g. "shards/CMU-1-" */
  prefix: string;
  /** a shard is closed before it would pass this many bytes (a sample larger than it gets a shard of its own) */
  maxBytes: number;
  mtime?: number;
}

/** Packs samples into shards of at most `maxBytes` (a sample is never split between shards). */
export class TarShardWriter {
  private parts: Uint8Array[] = [];
  private size = 0;
  private members = 0;
  private shard = 0;
  private readonly mtime: number;
  readonly written: string[] = [];

  constructor(
    private readonly out: ShardOutput,
    private readonly opts: ShardOptions,
  ) {
    this.mtime = opts.mtime ?? Math.floor(Date.now() / 1000);
  }

  /** The path of the shard the next sample goes to (after `add` decides whether it still fits). */
  private path(n: number): string {
    return `${this.opts.prefix}${String(n).padStart(6, '0')}.tar`;
  }

  /**
   * Adds one sample (its members, e.g. [["tile_00012.png", png], ["tile_00012.json", json]]) and
   * returns the shard path it went to.
   */
  async add(members: [string, Uint8Array | string][]): Promise<string> {
    const data = members.map(([name, d]) => [name, typeof d === 'string' ? enc.encode(d) : d] as const);
    const bytes = data.reduce((s, [, d]) => s + tarMemberSize(d.byteLength), 0);
    // the end-of-archive marker (two zero blocks) must fit too
    if (this.members > 0 && this.size + bytes + 2 * BLOCK > this.opts.maxBytes) await this.flush();
    for (const [name, d] of data) {
      this.parts.push(ustarHeader(name, d.byteLength, this.mtime), d);
      const pad = padding(d.byteLength);
      if (pad) this.parts.push(new Uint8Array(pad));
      this.size += tarMemberSize(d.byteLength);
      this.members++;
    }
    return this.path(this.shard);
  }

  /** Writes the current shard (if it holds anything) and starts the next. */
  async flush(): Promise<void> {
    if (this.members === 0) return;
    this.parts.push(new Uint8Array(2 * BLOCK));
    const total = this.size + 2 * BLOCK;
    const shard = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) {
      shard.set(p, at);
      at += p.byteLength;
    }
    this.parts = [];
    this.size = 0;
    this.members = 0;
    const path = this.path(this.shard++);
    await this.out.write(path, shard);
    this.written.push(path);
  }
}
