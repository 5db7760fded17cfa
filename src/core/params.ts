// The plan parameters, with ratiopath's names and the seed's defaults. The schema lets the app
// validate settings it reads back from storage or a URL, not only what the form produced.
import { z } from 'zod';
import { SlidetileError } from './errors.ts';

const positiveInt = z.number().int().positive().max(0x7fffffff);
const pair = z.tuple([positiveInt, positiveInt]);

export const resolutionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('mpp'), mpp: z.number().positive().finite() }),
  z.object({ mode: z.literal('level'), level: z.number().int().min(0) }),
]);
export type Resolution = z.infer<typeof resolutionSchema>;

export const coverageParamsSchema = z.object({
  /** accept a tile when (annotated area ∩ tile) / tile area >= min. */
  min: z.number().min(0).max(1),
  /** class names to count; empty means every annotation. */
  classes: z.array(z.string()),
});
export type CoverageParams = z.infer<typeof coverageParamsSchema>;

export const planParamsSchema = z.object({
  resolution: resolutionSchema.default({ mode: 'mpp', mpp: 0.5 }),
  /** tile_extent (w, h) in level pixels. */
  tile: pair.default([512, 512]),
  /** stride (x, y) in level pixels. */
  stride: pair.default([512, 512]),
  last: z.enum(['drop', 'keep', 'shift']).default('shift'),
  /** reject when tile.std() <= stdThreshold; null turns the filter off. */
  stdThreshold: z.number().min(0).nullable().default(8),
  /** reject when the tissue fraction < tissueThreshold; null turns the filter off. */
  tissueThreshold: z.number().min(0).max(1).nullable().default(null),
  coverage: coverageParamsSchema.nullable().default(null),
  /** stop after this many saved tiles (the seed's 64); null saves every accepted tile. */
  limit: z.number().int().positive().nullable().default(64),
  format: z.enum(['png', 'jpeg']).default('png'),
  jpegQuality: z.number().int().min(1).max(100).default(90),
  naming: z.enum(['index', 'qupath']).default('index'),
  /** grey level (0..255) that transparent and out-of-slide pixels are composited onto. */
  background: z.number().int().min(0).max(255).default(255),
});

export type PlanParams = z.infer<typeof planParamsSchema>;
export type PlanParamsInput = z.input<typeof planParamsSchema>;

/** The seed's settings: 0.5 µm/px, 512² tiles, stride 512, shift, std > 8, first 64 tiles, PNG. */
export const defaultPlanParams: PlanParams = planParamsSchema.parse({});

export class ParamsError extends SlidetileError<'invalid-params'> {
  override name = 'ParamsError';
  readonly code = 'invalid-params';
}

/** Parse untrusted settings; missing fields take the defaults, bad ones throw naming the field. */
export function parsePlanParams(input: unknown): PlanParams {
  const r = planParamsSchema.safeParse(input ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ParamsError(`invalid plan parameters: ${msg}`);
  }
  return r.data;
}
