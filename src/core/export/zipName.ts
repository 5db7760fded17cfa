// The export's file name says what it holds, so a downloads folder of exports stays readable:
//   CMU-1-Small-Region_0.5mpp_512px_shift_std8_24tiles.zip
// slide · resolution (µm/px asked, or the level) · tile · stride when it differs from the tile ·
// last · each filter that is on · the format when not PNG · how many tiles.
//
// A zip streamed to the downloads gets its name before the first tile is read, so the count is
// then what the plan promises: exact when every tile to read has had its std measured (the plan
// then knows which are saved; a read failing now is the rare exception, and tiles.csv says so),
// otherwise "upto" the limit or the candidates — an honest upper bound, never a guess.
import { slideStem } from '../naming.ts';
import type { Plan } from '../plan.ts';

export type TileCount = { exact: number } | { upTo: number };

/** A number as written in names: no trailing zeros, no exponent (0.5, 7.25, 512). */
function num(v: number): string {
  return String(Number(v.toFixed(4)));
}

const pair = ([a, b]: readonly [number, number], unit = '') => (a === b ? `${a}${unit}` : `${a}x${b}${unit}`);

export function exportZipName(plan: Pick<Plan, 'params' | 'level' | 'tile' | 'stride'>, slideName: string, count: TileCount, opts: { cancelled?: boolean } = {}): string {
  const p = plan.params;
  const parts: string[] = [];
  parts.push(p.resolution.mode === 'mpp' ? `${num(p.resolution.mpp)}mpp` : `level${plan.level}`);
  parts.push(pair(plan.tile, 'px'));
  if (plan.stride[0] !== plan.tile[0] || plan.stride[1] !== plan.tile[1]) parts.push(`stride${pair(plan.stride)}`);
  parts.push(p.last);
  if (p.stdThreshold !== null) parts.push(`std${num(p.stdThreshold)}`);
  if (p.tissueThreshold !== null) parts.push(`tissue${num(p.tissueThreshold * 100)}`);
  if (p.coverage) parts.push(`annotation${num(p.coverage.min * 100)}`);
  if (p.format === 'jpeg') parts.push(`jpeg${p.jpegQuality}`);
  const n = 'exact' in count ? count.exact : count.upTo;
  parts.push(`${'exact' in count ? '' : 'upto'}${n}${n === 1 ? 'tile' : 'tiles'}`);
  if (opts.cancelled) parts.push('cancelled');
  // characters unsafe in a file name on any system are replaced; a very long slide name is cut
  const stem = slideStem(slideName).replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').slice(0, 120) || 'slide';
  return `${stem}_${parts.join('_')}.zip`;
}
