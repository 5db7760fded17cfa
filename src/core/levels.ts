// Resolution choice, equal to ratiopath's OpenSlide.closest_level and slide_resolution.
import { SlidetileError } from './errors.ts';
import { slideMpp, type SlideInfo } from './slide.ts';

export type Mpp = { x: number; y: number };
/** µm per level-0 pixel the user typed for a slide that does not say; a number means x = y. */
export type MppOverride = number | Mpp;

/** The slide has no openslide.mpp-x/y, so a µm/px target cannot be resolved. */
export class MissingMppError extends SlidetileError<'missing-mpp'> {
  override name = 'MissingMppError';
  readonly code = 'missing-mpp';
  constructor(vendor: string | null) {
    super(
      `this ${vendor ?? 'unknown-vendor'} slide does not record its resolution (openslide.mpp-x/y); ` +
        'choose a level instead, or type the slide\'s µm per pixel',
    );
  }
}

export class LevelError extends SlidetileError<'invalid-level'> {
  override name = 'LevelError';
  readonly code = 'invalid-level';
}

function normOverride(o: MppOverride | undefined): Mpp | null {
  if (o === undefined) return null;
  const m = typeof o === 'number' ? { x: o, y: o } : o;
  if (!(m.x > 0 && m.y > 0 && Number.isFinite(m.x) && Number.isFinite(m.y))) {
    throw new LevelError(`µm/px override must be positive, got ${JSON.stringify(o)}`);
  }
  return m;
}

/** Level-0 µm/px: the override when given, else the slide's properties, else null. */
export function baseMpp(info: SlideInfo, override?: MppOverride): Mpp | null {
  return normOverride(override) ?? slideMpp(info);
}

/**
 * ratiopath's closest_level: the desired downsample is the mean over x and y of target / mpp;
 * the level whose downsample is nearest (absolute difference, the first on ties, like numpy argmin).
 */
export function closestLevel(targetMpp: number | readonly [number, number], info: SlideInfo, override?: MppOverride): number {
  const base = baseMpp(info, override);
  if (!base) throw new MissingMppError(info.vendor);
  const [tx, ty] = typeof targetMpp === 'number' ? [targetMpp, targetMpp] : targetMpp;
  if (!(tx > 0 && ty > 0)) throw new LevelError(`target µm/px must be positive, got ${String(targetMpp)}`);
  if (info.levels.length === 0) throw new LevelError('the slide has no levels');
  // numpy's mean of two values is (a + b) / 2, in this order.
  const scale = (tx / base.x + ty / base.y) / 2;
  let best = 0;
  let bestDiff = Infinity;
  for (let i = 0; i < info.levels.length; i++) {
    const d = Math.abs(info.levels[i].downsample - scale);
    if (d < bestDiff) {
      best = i;
      bestDiff = d;
    }
  }
  return best;
}

export function checkLevel(info: SlideInfo, level: number): void {
  if (!Number.isInteger(level) || level < 0 || level >= info.levels.length) {
    throw new LevelError(`level must be an integer in 0..${info.levels.length - 1}, got ${level}`);
  }
}

/** ratiopath's slide_resolution: µm/px at a level (level-0 mpp × downsample), or null when unknown. */
export function levelMpp(info: SlideInfo, level: number, override?: MppOverride): Mpp | null {
  checkLevel(info, level);
  const base = baseMpp(info, override);
  if (!base) return null;
  const d = info.levels[level].downsample;
  return { x: base.x * d, y: base.y * d };
}

/**
 * Where the OpenSlide plane starts for slides cropped by bounds (MIRAX etc.). QuPath's coordinates
 * start at the bounds, OpenSlide's do not, so annotations from QuPath need this added.
 */
export function boundsOffset(info: SlideInfo): [number, number] {
  const x = Number.parseInt(info.properties['openslide.bounds-x'] ?? '', 10);
  const y = Number.parseInt(info.properties['openslide.bounds-y'] ?? '', 10);
  return [Number.isFinite(x) ? x : 0, Number.isFinite(y) ? y : 0];
}
