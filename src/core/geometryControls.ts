// The rules behind the grid and resolution controls, kept out of the form so they can be tested:
//  - the stride is tied to the tile through an overlap in px, so changing the tile cannot leave the
//    stride behind (a 256-px tile with the old 512 stride silently planned a grid with gaps);
//  - tile-size presets;
//  - resolution by magnification, which is only another way to type µm/px: ratiopath's parameter,
//    the plan, slide.json and the recipe stay in µm/px.
// QuPath's habit, which this follows: its TileExporter takes `.overlap(px)` as a pixel count that stays
// what it is when the tile size changes, so a tied stride keeps the overlap's px (not its %).
import { z } from 'zod';
import { gridCount, type LastPolicy } from './grid.ts';
import { baseMpp, type MppOverride } from './levels.ts';
import { defaultPlanParams, planParamsSchema, type PlanParams } from './params.ts';
import { planningInfo } from './scanMpp.ts';
import type { SlideInfo } from './slide.ts';

type Pair = readonly [number, number];

/** Common input sizes: 224 (ResNet, ViT), 256, 299 (Inception), 512, 1024. */
export const TILE_PRESETS = [224, 256, 299, 512, 1024] as const;
/** Magnifications offered as buttons; only those up to the slide's objective power are offered. */
export const MAGNIFICATION_PRESETS = [5, 10, 20, 40] as const;

/** Form state that is not a ratiopath parameter, persisted beside the plan parameters. */
export const geometryControlsSchema = z.object({
  /** the stride follows the tile: stride = tile − overlap, one overlap in px for both axes */
  strideTied: z.boolean(),
});
export type GeometryControls = z.infer<typeof geometryControlsSchema>;

export interface Settings {
  params: PlanParams;
  controls: GeometryControls;
}

export const defaultSettings: Settings = { params: defaultPlanParams, controls: { strideTied: true } };

/**
 * The overlap in px when this stride can be tied to this tile — the same overlap on both axes,
 * 0 ≤ overlap < tile (a stride of at least 1 px) — else null (gaps, or different overlaps per axis).
 */
export function tiedOverlap(tile: Pair, stride: Pair): number | null {
  const ox = tile[0] - stride[0];
  const oy = tile[1] - stride[1];
  return ox === oy && ox >= 0 && ox < Math.min(tile[0], tile[1]) ? ox : null;
}

/** The largest overlap a tile allows: the stride must stay at least 1 px. */
export const maxOverlap = (tile: Pair): number => Math.min(tile[0], tile[1]) - 1;

export const strideFor = (tile: Pair, overlap: number): [number, number] => [tile[0] - overlap, tile[1] - overlap];

/** The overlap as a share of the tile (its shorter side for a non-square tile), in %. */
export function overlapPercent(tile: Pair, overlap: number): number {
  return (overlap / Math.min(tile[0], tile[1])) * 100;
}

/**
 * The stride for a new tile while the stride is tied. The overlap keeps its px (QuPath's habit);
 * only when the new tile is too small for that many px does it keep its share of the tile instead,
 * so a preset never turns a generous overlap into a 1-px stride.
 */
export function tiedStrideForTile(oldTile: Pair, overlap: number, newTile: Pair): [number, number] {
  let o = overlap;
  if (o > maxOverlap(newTile)) {
    o = Math.round((overlap * Math.min(newTile[0], newTile[1])) / Math.min(oldTile[0], oldTile[1]));
    o = Math.max(0, Math.min(o, maxOverlap(newTile)));
  }
  return strideFor(newTile, o);
}

/** Unread px between neighbouring tiles on each axis (stride − tile when positive), or null when none. */
export function strideGaps(tile: Pair, stride: Pair): { x: number; y: number } | null {
  const x = Math.max(0, stride[0] - tile[0]);
  const y = Math.max(0, stride[1] - tile[1]);
  return x > 0 || y > 0 ? { x, y } : null;
}

/**
 * What gaps cost, for the warning: the tiles this grid plans and the tiles the same tile would plan
 * without gaps (stride capped at the tile), on a level of this extent.
 */
export function gapCounts(extent: Pair, tile: Pair, stride: Pair, last: LastPolicy): { planned: number; gapFree: number } {
  const capped: [number, number] = [Math.min(stride[0], tile[0]), Math.min(stride[1], tile[1])];
  return { planned: gridCount(extent, tile, stride, last), gapFree: gridCount(extent, tile, capped, last) };
}

/**
 * A change to the plan parameters under the tie rule. A new tile without a stride moves the stride
 * with it while tied. A stride given explicitly (typed, or restored from an earlier export) is kept as
 * given, and unties the stride when it is not tile − one overlap. An invalid result changes nothing.
 */
export function applyPlanPatch(s: Settings, patch: Partial<PlanParams>): Settings {
  const next = { ...s.params, ...patch };
  let controls = s.controls;
  if (controls.strideTied) {
    if (patch.stride === undefined && patch.tile !== undefined) {
      const overlap = tiedOverlap(s.params.tile, s.params.stride) ?? 0;
      next.stride = tiedStrideForTile(s.params.tile, overlap, patch.tile);
    } else if (patch.stride !== undefined && tiedOverlap(next.tile, next.stride) === null) {
      controls = { ...controls, strideTied: false };
    }
  }
  const r = planParamsSchema.safeParse(next);
  return r.success ? { params: r.data, controls } : s;
}

/** The overlap in px while tied: stride = tile − overlap on both axes. */
export function applyOverlap(s: Settings, overlap: number): Settings {
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxOverlap(s.params.tile)) return s;
  return applyPlanPatch({ ...s, controls: { ...s.controls, strideTied: true } }, { stride: strideFor(s.params.tile, overlap) });
}

/**
 * Tie or untie. Untying keeps the stride as it is (and lets it be typed). Tying keeps the overlap
 * when the stride has one; otherwise the smaller of the two axes' overlaps, none when there are gaps.
 */
export function setStrideTied(s: Settings, tied: boolean): Settings {
  if (!tied) return s.controls.strideTied ? { ...s, controls: { ...s.controls, strideTied: false } } : s;
  const { tile, stride } = s.params;
  const overlap = tiedOverlap(tile, stride) ?? Math.max(0, Math.min(tile[0] - stride[0], tile[1] - stride[1], maxOverlap(tile)));
  return applyOverlap(s, overlap);
}

/**
 * Settings as read back from storage. The stored object is the plan parameters with `controls` beside
 * them; a state saved before the controls existed (parameters only) loads without loss: its stride is
 * kept as it was, tied when it is tile − one overlap, untied otherwise (a gap grid stays a gap grid,
 * and says so, rather than being silently changed). Unparseable parameters fall back to the defaults.
 */
export function migrateSettings(raw: unknown): Settings {
  const p = planParamsSchema.safeParse(raw ?? {});
  if (!p.success) return defaultSettings;
  const params = p.data;
  const tieable = tiedOverlap(params.tile, params.stride) !== null;
  const stored = geometryControlsSchema.safeParse(raw !== null && typeof raw === 'object' ? (raw as { controls?: unknown }).controls : undefined);
  // a stored "tied" that the parameters contradict (edited storage) is not believed
  const strideTied = stored.success ? stored.data.strideTied && tieable : tieable;
  return { params, controls: { strideTied } };
}

/** What is written to storage: readable by migrateSettings, and by an older build as plain parameters. */
export function storedSettings(s: Settings): PlanParams & { controls: GeometryControls } {
  return { ...s.params, controls: s.controls };
}

// ---- resolution by magnification ----

/** What a magnification is computed from: the objective power and the level-0 µm/px it was scanned at. */
export interface MagnificationBase {
  /** openslide.objective-power */
  objective: number;
  /** level-0 µm/px, the mean of x and y (as closest_level averages them) */
  mpp: number;
}

/**
 * The base for magnifications, or null when the slide lacks openslide.objective-power or a usable
 * µm/px (a typed one counts: it is what planning uses). Magnification is then not offered.
 */
export function magnificationBase(info: SlideInfo, override?: MppOverride): MagnificationBase | null {
  const objective = Number.parseFloat(info.properties['openslide.objective-power'] ?? '');
  if (!(Number.isFinite(objective) && objective > 0)) return null;
  let mpp: { x: number; y: number } | null;
  try {
    mpp = baseMpp(planningInfo(info), override);
  } catch {
    return null;
  }
  return mpp ? { objective, mpp: (mpp.x + mpp.y) / 2 } : null;
}

/**
 * The target µm/px for a magnification: mpp0 × objective / magnification (20× on a 20× scan at
 * 0.499 µm/px is 0.499). Six significant digits: float noise would otherwise reach the recipe.
 */
export function mppForMagnification(base: MagnificationBase, magnification: number): number {
  return Number(((base.mpp * base.objective) / magnification).toPrecision(6));
}

/** The magnification a µm/px target corresponds to on this slide. */
export function magnificationForMpp(base: MagnificationBase, mpp: number): number {
  return (base.mpp * base.objective) / mpp;
}

/** The presets this slide can offer: none above its objective power (they could only upsample). */
export function magnificationChoices(base: MagnificationBase): number[] {
  const out: number[] = MAGNIFICATION_PRESETS.filter((m) => m <= base.objective);
  if (!out.includes(base.objective)) out.push(base.objective);
  return out.sort((a, b) => a - b);
}

/** Whether a target µm/px is this magnification (within 0.1%, to forgive rounded typing). */
export function isMagnification(base: MagnificationBase, mpp: number, magnification: number): boolean {
  return Math.abs(magnificationForMpp(base, mpp) - magnification) <= 0.001 * magnification;
}
