// `slidetile plan`: ratiopath's grid_tiles (and closest_level) from the command line, so a plan
// can be checked against ratiopath without the app. Exit codes: 0 ok, 2 usage, 1 the plan failed.
import { parseArgs } from 'node:util';
import { gridTiles, GridError, type Grid, type LastPolicy } from '../core/grid.ts';
import { LevelError, MissingMppError } from '../core/levels.ts';
import { makePlan } from '../core/plan.ts';
import { defaultPlanParams, ParamsError, type PlanParamsInput } from '../core/params.ts';
import type { SlideInfo } from '../core/slide.ts';
import { isUsageError, UsageError } from './usage.ts';

export interface PlanIO {
  openInfo(path: string): Promise<SlideInfo>;
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = `usage:
  slidetile plan --extent W,H [--tile W,H] [--stride X,Y] [--last drop|keep|shift] [--json]
  slidetile plan SLIDE [--mpp M | --level L] [--slide-mpp U] [--tile W,H] [--stride X,Y] [--last …] [--json]

Origins are top-left corners in the level's pixels, row-major with x fastest (ratiopath grid_tiles).
Defaults: --tile 512,512, --stride equal to the tile, --last shift, and for a slide --mpp 0.5
(ratiopath closest_level). --slide-mpp gives the slide's own µm/px when its file does not.
--json prints [[x, y], …] for --extent, {level, downsample, mpp, extent, origins} for a slide;
without it, one "x<TAB>y" line per tile and a summary on stderr.`;


function pair(v: string | undefined, name: string): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(/[,x×]/).map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length === 1 && Number.isInteger(nums[0])) return [nums[0], nums[0]];
  if (parts.length !== 2 || !nums.every((n) => Number.isInteger(n) && n > 0)) {
    throw new UsageError(`--${name} must be two positive integers like 512,512, got "${v}"`);
  }
  return [nums[0], nums[1]];
}

function positive(v: string | undefined, name: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer ? !Number.isInteger(n) || n < 0 : n <= 0)) {
    throw new UsageError(`--${name} must be ${integer ? 'a non-negative integer' : 'a positive number'}, got "${v}"`);
  }
  return n;
}

function lastOf(v: string | undefined): LastPolicy {
  if (v === undefined) return defaultPlanParams.last;
  if (v !== 'drop' && v !== 'keep' && v !== 'shift') throw new UsageError(`--last must be drop, keep or shift, got "${v}"`);
  return v;
}

// built by hand: a million origins through JSON.stringify of nested arrays is needlessly slow
function originsJson(g: Grid): string {
  const parts: string[] = new Array(g.count);
  for (let i = 0; i < g.count; i++) parts[i] = `[${g.origins[2 * i]},${g.origins[2 * i + 1]}]`;
  return `[${parts.join(',')}]`;
}

function originsLines(g: Grid): string {
  const parts: string[] = new Array(g.count);
  for (let i = 0; i < g.count; i++) parts[i] = `${g.origins[2 * i]}\t${g.origins[2 * i + 1]}\n`;
  return parts.join('');
}

export async function planCommand(argv: string[], io: PlanIO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        extent: { type: 'string' },
        tile: { type: 'string' },
        stride: { type: 'string' },
        last: { type: 'string' },
        mpp: { type: 'string' },
        level: { type: 'string' },
        'slide-mpp': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    const tile = pair(values.tile, 'tile') ?? defaultPlanParams.tile;
    const stride = pair(values.stride, 'stride') ?? tile;
    const last = lastOf(values.last);
    if (positionals.length > 1) throw new UsageError(`one slide at a time, got ${positionals.length}`);

    if (positionals.length === 0) {
      const extent = pair(values.extent, 'extent');
      if (!extent) throw new UsageError('give a SLIDE or --extent W,H');
      if (values.mpp !== undefined || values.level !== undefined || values['slide-mpp'] !== undefined) {
        throw new UsageError('--mpp, --level and --slide-mpp need a SLIDE');
      }
      const grid = gridTiles(extent, tile, stride, last);
      for (const w of grid.warnings) io.stderr(`warning: ${w}\n`);
      if (values.json) io.stdout(originsJson(grid) + '\n');
      else {
        io.stderr(`${grid.count} tiles (${grid.columns}×${grid.rows}) of ${tile[0]}×${tile[1]}, stride ${stride[0]},${stride[1]}, last=${last}\n`);
        io.stdout(originsLines(grid));
      }
      return 0;
    }

    if (values.extent !== undefined) throw new UsageError('--extent is for planning without a slide; a SLIDE has its own extent');
    if (values.mpp !== undefined && values.level !== undefined) throw new UsageError('give --mpp or --level, not both');
    const mpp = positive(values.mpp, 'mpp', false);
    const level = positive(values.level, 'level', true);
    const slideMpp = positive(values['slide-mpp'], 'slide-mpp', false);
    const params: PlanParamsInput = {
      resolution: level !== undefined ? { mode: 'level', level } : { mode: 'mpp', mpp: mpp ?? 0.5 },
      tile,
      stride,
      last,
    };
    const info = await io.openInfo(positionals[0]);
    const plan = makePlan(info, params, { mppOverride: slideMpp });
    for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
    if (values.json) {
      const head = JSON.stringify({ level: plan.level, downsample: plan.downsample, mpp: plan.mpp, extent: plan.extent });
      io.stdout(`${head.slice(0, -1)},"origins":${originsJson(plan.grid)}}\n`);
    } else {
      const m = plan.mpp ? `${plan.mpp.x.toPrecision(4)}×${plan.mpp.y.toPrecision(4)} µm/px` : 'µm/px unknown';
      io.stderr(
        `level ${plan.level} (downsample ${plan.downsample}, ${m}), extent ${plan.extent[0]}×${plan.extent[1]}: ` +
          `${plan.grid.count} tiles (${plan.grid.columns}×${plan.grid.rows}) of ${tile[0]}×${tile[1]}, stride ${stride[0]},${stride[1]}, last=${last}\n`,
      );
      io.stdout(originsLines(plan.grid));
    }
    return 0;
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`slidetile plan: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof GridError || e instanceof LevelError || e instanceof MissingMppError || e instanceof ParamsError) {
      io.stderr(`slidetile plan: ${e.message}\n`);
      return 1;
    }
    // engine errors (unsupported or corrupt slides) keep their own message; the caller maps codes
    throw e;
  }
}
