// What reading a tile taught (its std, or that the read failed), remembered across plans: a tile
// read once is the same pixels in every plan of the same family (level, tile size, background), so
// changing `last`, stride, filters or thresholds reuses every read already made.
//
// Facts are addressed by an EXACT integer key of the tile's origin within its level. (An earlier
// version packed (x + 2^31)·2^32 + (y + 2^31) into a double: ~2^63 is beyond a double's 53 bits,
// so tiles of one column whose y differ by less than ~2,048 px shared one entry, and the app wrote
// another tile's std into tiles.csv.) Here the key is (x + tileW)·span + (y + tileH) with
// span = height + tileH + 1: every origin a grid can produce — from −tile (a tile larger than the
// level, `last="shift"`) to the extent (`last="keep"`) — maps to its own integer, and the family
// refuses to exist when that integer could pass 2^53 (a level over ~2^26 px a side; none does).
import type { Plan } from './plan.ts';
import { applyReadFailure, applyStd } from './plan.ts';

export interface FamilyId {
  level: number;
  /** the level's extent, which bounds every origin */
  width: number;
  height: number;
  tileW: number;
  tileH: number;
  background: number;
}

export class TileFamily {
  readonly std = new Map<number, number>();
  readonly failed = new Map<number, string>();
  private readonly span: number;
  constructor(readonly id: FamilyId) {
    const { width, height, tileW, tileH } = id;
    for (const v of [width, height, tileW, tileH]) if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`tile family needs positive integer sizes, got ${JSON.stringify(id)}`);
    this.span = height + tileH + 1;
    if ((width + tileW + 1) * this.span > Number.MAX_SAFE_INTEGER) throw new RangeError(`a ${width} × ${height} level is too large to key tiles exactly`);
  }

  /** The exact key of the tile whose top-left origin is (x, y) in level pixels. */
  key(x: number, y: number): number {
    const { width, height, tileW, tileH } = this.id;
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < -tileW || x > width || y < -tileH || y > height) {
      throw new RangeError(`tile origin (${x}, ${y}) is outside what a grid over ${width} × ${height} with ${tileW} × ${tileH} tiles can produce`);
    }
    return (x + tileW) * this.span + (y + tileH);
  }

  setStd(x: number, y: number, std: number): void {
    this.std.set(this.key(x, y), std);
  }
  setFailed(x: number, y: number, why: string): void {
    this.failed.set(this.key(x, y), why);
  }
  stdAt(x: number, y: number): number | undefined {
    return this.std.get(this.key(x, y));
  }
  failedAt(x: number, y: number): string | undefined {
    return this.failed.get(this.key(x, y));
  }
  /** a fact of either kind is known for this tile */
  known(x: number, y: number): boolean {
    const k = this.key(x, y);
    return this.std.has(k) || this.failed.has(k);
  }
}

/** The family a plan's tiles belong to. */
export function familyOf(plan: Plan): FamilyId {
  return { level: plan.level, width: plan.extent[0], height: plan.extent[1], tileW: plan.tile[0], tileH: plan.tile[1], background: plan.params.background };
}

const familyName = (f: FamilyId) => `${f.level}:${f.width}x${f.height}:${f.tileW}x${f.tileH}:${f.background}`;

/** Facts of every family met on one slide. `version` counts changes, for UIs that memoise on it. */
export class TileFacts {
  private families = new Map<string, TileFamily>();
  version = 0;

  family(id: FamilyId): TileFamily {
    const name = familyName(id);
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = new TileFamily(id)));
    return f;
  }
  /** The family of `plan`'s tiles. */
  of(plan: Plan): TileFamily {
    return this.family(familyOf(plan));
  }
  setStd(fam: TileFamily, x: number, y: number, std: number): void {
    fam.setStd(x, y, std);
    this.version++;
  }
  setFailed(fam: TileFamily, x: number, y: number, why: string): void {
    fam.setFailed(x, y, why);
    this.version++;
  }
  clear(): void {
    this.families.clear();
    this.version++;
  }
}

/**
 * Applies every known fact of the plan's family to the plan (std → std filter; failure →
 * 'read-failed') and returns the failures by grid index, for tiles.csv's error column.
 */
export function applyFacts(plan: Plan, facts: TileFacts): Map<number, string> {
  const fam = facts.of(plan);
  const failures = new Map<number, string>();
  if (fam.std.size === 0 && fam.failed.size === 0) return failures;
  const o = plan.grid.origins;
  for (let i = 0; i < plan.grid.count; i++) {
    const k = fam.key(o[2 * i], o[2 * i + 1]);
    const s = fam.std.get(k);
    if (s !== undefined) applyStd(plan, i, s);
    const f = fam.failed.get(k);
    if (f !== undefined) {
      applyReadFailure(plan, i);
      failures.set(i, f);
    }
  }
  return failures;
}
