// Re-opening a previous export: its slide.json, read back with the slide, gives the exact plan again —
// the parameters, the µm/px typed for a slide without one, the manual include/exclude lists — and says
// what could make it differ: another slide (OpenSlide's quickhash-1, the level sizes), another
// annotation file (its sha256), another Slidetile version. Pure: the caller makes the plan (makePlan)
// with the annotations and tissue mask it has, as for a new plan.
import { z } from 'zod';
import { SlidetileError } from '../errors.ts';
import { parsePlanParams, type PlanParams } from '../params.ts';
import type { MppOverride } from '../levels.ts';
import type { SlideInfo } from '../slide.ts';
import { SLIDETILE_VERSION } from '../version.ts';

const indexList = z.array(z.number().int().min(0));
const mppOverrideSchema = z.union([z.number().positive(), z.object({ x: z.number().positive(), y: z.number().positive() })]).nullable();

/** The part of slide.json a re-open reads; everything else in it is for people and audits. */
const slideJsonSchema = z.object({
  slidetile: z.object({ version: z.string() }),
  files: z.array(z.string()).optional(),
  levels: z.array(z.object({ width: z.number(), height: z.number() })),
  properties: z.record(z.string(), z.string()),
  parameters: z.unknown(),
  plan: z.object({ level: z.number().int(), tiles: z.number().int() }),
  manual: z.object({ include: indexList, exclude: indexList }).optional(),
  sources: z
    .object({ mppOverride: mppOverrideSchema.optional(), tissue: z.object({ channel: z.string() }).passthrough().nullable().optional() })
    .passthrough()
    .optional(),
  content: z.object({ quickhash: z.string().nullable() }).optional(),
  annotationFile: z.object({ name: z.string(), sha256: z.string() }).optional(),
});

export class ReopenError extends SlidetileError<'bad-slide-json'> {
  override name = 'ReopenError';
  readonly code = 'bad-slide-json';
}

export interface ReopenedPlan {
  params: PlanParams;
  /** grid index → true (include) / false (exclude), as makePlan's `manual` */
  manual: Map<number, boolean>;
  mppOverride?: MppOverride;
  /** the annotation file the coverage came from: load the same one (its sha256 tells) */
  annotationFile?: { name: string; sha256: string };
  /** the tissue mask's rule as slide.json recorded it (channel and the rest), null without one */
  tissue: ({ channel: string } & Record<string, unknown>) | null;
  /** what the export planned, to compare with the plan made again */
  expected: { level: number; tiles: number };
  /** reasons the plan may not be the same (another slide, version), in words for the user */
  warnings: string[];
}

/** The slide's content hash as slide.json records it: OpenSlide's quickhash-1 (pixels + metadata). */
export function contentHash(info: SlideInfo): string | null {
  return info.properties['openslide.quickhash-1'] ?? null;
}

/** Reads a previous export's slide.json for `info`'s slide. Throws ReopenError on a file that is not one. */
export function reopenSlideJson(text: string, info: SlideInfo): ReopenedPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ReopenError(`not a Slidetile slide.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = slideJsonSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ReopenError(`not a Slidetile slide.json (${why})`);
  }
  const doc = r.data;
  let params: PlanParams;
  try {
    params = parsePlanParams(doc.parameters);
  } catch (e) {
    throw new ReopenError(`slide.json's parameters cannot be used: ${e instanceof Error ? e.message : String(e)}`);
  }
  const warnings: string[] = [];
  const theirs = doc.content?.quickhash ?? doc.properties['openslide.quickhash-1'] ?? null;
  const ours = contentHash(info);
  if (theirs !== null && ours !== null && theirs !== ours) {
    warnings.push(`this slide is not the one the export was made from (OpenSlide quickhash-1 ${ours.slice(0, 12)}… here, ${theirs.slice(0, 12)}… in slide.json): the plan may differ`);
  } else if (theirs === null || ours === null) {
    warnings.push('slide.json or this slide has no OpenSlide quickhash-1: that it is the same slide cannot be checked');
  }
  const sizes = (l: { width: number; height: number }[]) => l.map((x) => `${x.width}x${x.height}`).join(',');
  if (sizes(doc.levels) !== sizes(info.levels)) warnings.push(`the slide's levels differ from slide.json's (${sizes(info.levels)} here, ${sizes(doc.levels)} there)`);
  if (doc.slidetile.version !== SLIDETILE_VERSION) warnings.push(`slide.json was written by Slidetile ${doc.slidetile.version}, this is ${SLIDETILE_VERSION}`);
  const manual = new Map<number, boolean>();
  for (const i of doc.manual?.include ?? []) manual.set(i, true);
  for (const i of doc.manual?.exclude ?? []) manual.set(i, false);
  const override = doc.sources?.mppOverride ?? null;
  return {
    params,
    manual,
    ...(override !== null ? { mppOverride: override } : {}),
    ...(doc.annotationFile ? { annotationFile: doc.annotationFile } : {}),
    tissue: doc.sources?.tissue ?? null,
    expected: { level: doc.plan.level, tiles: doc.plan.tiles },
    warnings,
  };
}
