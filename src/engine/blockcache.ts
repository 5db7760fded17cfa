// WORKERFS reads each read() with a FileReaderSync on a Blob slice: fine for a 512 KB tile, slow for the
// thousands of small reads of TIFF directory parsing and stdio's 1 KB buffers. This wraps its read in
// a small LRU of aligned blocks per file, so small reads cost a memcpy. Bounded: BLOCKS × BLOCK bytes.
const BLOCK = 64 * 1024;
const BLOCKS = 64;

interface Node {
  size: number;
  contents: Blob;
}
interface Stream {
  node: Node;
}
type ReadFn = (stream: Stream, buffer: Uint8Array, offset: number, length: number, position: number) => number;

export function installBlockCache(workerfs: { stream_ops: { read: ReadFn } }, readSync: (b: Blob) => ArrayBuffer): void {
  const direct = workerfs.stream_ops.read;
  const cache = new Map<string, Uint8Array>(); // insertion order = LRU order
  const ids = new WeakMap<Blob, number>();
  let nextId = 0;

  function block(node: Node, index: number): Uint8Array {
    let id = ids.get(node.contents);
    if (id === undefined) ids.set(node.contents, (id = nextId++));
    const key = `${id}:${index}`;
    let data = cache.get(key);
    if (data) {
      cache.delete(key);
    } else {
      const start = index * BLOCK;
      data = new Uint8Array(readSync(node.contents.slice(start, Math.min(node.size, start + BLOCK))));
      if (cache.size >= BLOCKS) cache.delete(cache.keys().next().value!);
    }
    cache.set(key, data);
    return data;
  }

  workerfs.stream_ops.read = (stream, buffer, offset, length, position) => {
    const node = stream.node;
    if (position >= node.size) return 0;
    // big reads (whole tiles) go straight through: caching them would only evict small ones
    if (length >= BLOCK) return direct(stream, buffer, offset, length, position);
    const end = Math.min(node.size, position + length);
    let done = 0;
    for (let pos = position; pos < end; ) {
      const index = Math.floor(pos / BLOCK);
      const data = block(node, index);
      const from = pos - index * BLOCK;
      const n = Math.min(end - pos, data.length - from);
      buffer.set(data.subarray(from, from + n), offset + done);
      done += n;
      pos += n;
    }
    return done;
  };
}
