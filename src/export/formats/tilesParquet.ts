// tiles.parquet: the selected tiles as a table with the columns ratiopath's Ray pipeline writes for a
// tile (path, tile_x, tile_y, level, tile_extent_x, tile_extent_y — run_ray in the recipe makes the
// same rows), then ours (level-0 origin, downsample, µm/px, std, tissue, coverage, the file in the
// export). Written with hyparquet-writer (pure JS, MIT, no dependencies beyond its reader), loaded
// only when asked for. The pixels are not in it: ratiopath's table holds them as a `tile` column,
// ours points at the saved file.
import type { DatasetColumns } from '../../core/export/dataset.ts';

export interface ParquetConstants {
  /** the slide, as the recipe names it (ratiopath's `path`) */
  path: string;
  level: number;
  downsample: number;
  tileExtent: [number, number];
  mpp: { x: number; y: number } | null;
}

/** Float column with NaN (not measured) written as null. */
function nullable(v: ArrayLike<number>): (number | null)[] {
  return Array.from(v, (x) => (x !== x ? null : x));
}

/** `label`: each selected tile's class label ('' = none), when the export labels tiles by class. */
export async function tilesParquet(c: DatasetColumns, k: ParquetConstants, version: string, label?: string[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const n = c.index.length;
  const same = <T>(v: T) => new Array<T>(n).fill(v);
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'path', data: same(k.path), type: 'STRING', nullable: false },
      { name: 'index', data: c.index, type: 'INT32', nullable: false },
      { name: 'tile_x', data: c.tileX, type: 'INT32', nullable: false },
      { name: 'tile_y', data: c.tileY, type: 'INT32', nullable: false },
      { name: 'level', data: same(k.level), type: 'INT32', nullable: false },
      { name: 'tile_extent_x', data: same(k.tileExtent[0]), type: 'INT32', nullable: false },
      { name: 'tile_extent_y', data: same(k.tileExtent[1]), type: 'INT32', nullable: false },
      { name: 'x0', data: c.x0, type: 'INT32', nullable: false },
      { name: 'y0', data: c.y0, type: 'INT32', nullable: false },
      { name: 'downsample', data: same(k.downsample), type: 'DOUBLE', nullable: false },
      { name: 'mpp_x', data: same(k.mpp?.x ?? null), type: 'DOUBLE' },
      { name: 'mpp_y', data: same(k.mpp?.y ?? null), type: 'DOUBLE' },
      { name: 'std', data: nullable(c.std), type: 'DOUBLE' },
      { name: 'tissue', data: nullable(c.tissue), type: 'FLOAT' },
      { name: 'coverage', data: nullable(c.coverage), type: 'FLOAT' },
      { name: 'file', data: c.file, type: 'STRING', nullable: false },
      ...(label ? [{ name: 'label', data: label, type: 'STRING' as const, nullable: false }] : []),
    ],
    createdBy: `Slidetile ${version}`,
  });
  return new Uint8Array(buffer);
}
