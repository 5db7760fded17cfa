// The one "tiles to save" figure: the counts panel, the Extract button, the export's progress target
// and the streamed zip's name all show this, so they never disagree.
//
// While the std filter is on and some accepted tiles are not measured yet, nobody knows how many of
// them the filter will drop. The figure then is honest in both directions: `count` tiles are sure
// (measured and passing, or forced in by hand), up to `upTo` may be saved, and `unmeasured` tiles
// still wait for their std. An export reads and decides each unmeasured tile itself, so `upTo` is what
// it can at most save. A failed read is never foreseen: it only ever lowers the result.
import { MANUAL_INCLUDE } from './filters/manual.ts';
import type { Plan } from './plan.ts';

export interface TilesToSave {
  /** tiles that will be saved whatever the unmeasured ones turn out to be (the limit applied) */
  count: number;
  /** the most that can be saved: every accepted tile, unmeasured ones included (the limit applied) */
  upTo: number;
  /** accepted tiles whose std is not measured yet (each may still fall to the std filter) */
  unmeasured: number;
  /** count === upTo: the figure no longer depends on anything unmeasured */
  exact: boolean;
}

/**
 * The figure for a plan with every known fact applied and WITHOUT the limit preview (the export's
 * starting plan): the limit is applied here, to both bounds. With a limit, the seed saves the first
 * `limit` accepted tiles in grid order, so `min(limit, sure)` is certain and `min(limit, accepted)`
 * is the ceiling, whichever tiles the unmeasured ones are.
 */
export function tilesToSave(base: Plan): TilesToSave {
  const stdOn = base.params.stdThreshold !== null;
  let accepted = 0;
  let sure = 0;
  for (let i = 0; i < base.grid.count; i++) {
    if (!base.accepted[i]) continue;
    accepted++;
    // a tile kept by hand is saved whatever its std (the export forces it in)
    if (!stdOn || !Number.isNaN(base.std[i]) || base.manual[i] === MANUAL_INCLUDE) sure++;
  }
  const limit = base.params.limit ?? Infinity;
  const count = Math.min(limit, sure);
  const upTo = Math.min(limit, accepted);
  return { count, upTo, unmeasured: accepted - sure, exact: count === upTo };
}
