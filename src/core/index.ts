// Slidetile's core: pure TypeScript shared by the app, the CLI and the benchmark. No DOM, no
// workers, no wasm. Every rule here means what it means in ratiopath. Overview of the public API:
//
//   gridTiles(slideExtent, tileExtent, stride, last) → Grid
//       ratiopath's grid_tiles; Grid.origins is an Int32Array x0,y0,x1,y1,… in level pixels,
//       row-major, x fastest; throws GridError on an unknown `last` or non-positive sizes.
//   closestLevel(targetMpp, info, override?) → level      ratiopath's closest_level
//   levelMpp(info, level, override?) → {x, y} | null      ratiopath's slide_resolution
//       both throw MissingMppError when the slide lacks openslide.mpp-x/y and no override is given.
//   planParamsSchema, defaultPlanParams, parsePlanParams(unknown) → PlanParams   (zod)
//   makePlan(info, params, {annotations?, tissue?, manual?, mppOverride?}) → Plan
//       Plan: level, downsample, mpp, extent, tile, stride, grid, accepted (Uint8Array),
//       reason (Uint8Array, REASONS[code] = label), coverage / tissue (Float32Array) / std (NaN =
//       unknown; std is Float64Array), manual, flags (PLAN_FLAGS bits), sources, warnings. applyStd / applyReadFailure /
//       setManual / applyLimit / applyNotReached / clearLimit update tiles; clonePlan copies; planCounts(plan) counts by reason;
//       candidateIndices(plan) lists tiles to read in grid order; tileRectLevel0(plan, i).
//   TileFacts / TileFamily / applyFacts(plan, facts): std and read failures remembered per family
//       (level, extent, tile, background) under an exact integer key of the origin
//   rgbStd(rgb) → numpy's tile.std()
//   tissueMaskFromRGBA(rgba, w, h, downsample, opts?) → TissueMask; tissueFraction(mask, rect0)
//   parseAnnotations(text, fileName, {offset?}) → AnnotationSet   (QuPath GeoJSON, ASAP, ImageScope)
//       AnnotationError(code, message, where); coverage(shapes, rect0, classes?) exact fraction.
//   tileFileName(i, plan, slideName, style?) → 'tile_00007.png' | 'NAME [d=4,x=…,y=…,w=…,h=…].png'
//   tilesCsv(plan, info, fileNames: Map | (i) => name, errors?) → tiles.csv text
//   slideJson(plan, info, slideFiles, run?) → slide.json text
//   annotationsGeoJson(shapes, classes?) → annotations.geojson (level-0, offset applied) for the recipe
//   ratiopathRecipe(plan, info, slideFile, {annotationsFile?}) → ratiopath_recipe.py (local + ray)
export * from './slide.ts';
export * from './grid.ts';
export * from './levels.ts';
export * from './params.ts';
export * from './plan.ts';
export * from './facts.ts';
export * from './filters/std.ts';
export * from './filters/tissue.ts';
export * from './filters/coverage.ts';
export * from './filters/manual.ts';
export * from './geometry/polygon.ts';
export * from './coords.ts';
export * from './errors.ts';
export * from './annotations/index.ts';
export * from './naming.ts';
export * from './pseudonym.ts';
export * from './deid.ts';
export * from './version.ts';
export * from './export/csv.ts';
export * from './export/slidejson.ts';
export * from './export/annotations.ts';
export * from './export/recipe.ts';
export * from './export/dataset.ts';
export * from './export/labels.ts';
export * from './export/reopen.ts';
