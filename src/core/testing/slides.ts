// SlideInfo literals for the test slides in /work/shared/slides/MANIFEST.tsv (real numbers).
import type { SlideInfo } from '../slide.ts';

// OpenSlide's level downsample: mean of the width and height ratios.
function levels(dims: [number, number][]): SlideInfo['levels'] {
  const [w0, h0] = dims[0];
  return dims.map(([w, h]) => ({ width: w, height: h, downsample: (w0 / w + h0 / h) / 2 }));
}

export const CMU_SMALL: SlideInfo = {
  vendor: 'aperio',
  levels: levels([[2220, 2967]]),
  properties: { 'openslide.vendor': 'aperio', 'openslide.mpp-x': '0.499', 'openslide.mpp-y': '0.499', 'openslide.objective-power': '20' },
  associated: [
    { name: 'label', width: 387, height: 463 },
    { name: 'macro', width: 1280, height: 431 },
    { name: 'thumbnail', width: 574, height: 768 },
  ],
};

export const NDPI_TRITC: SlideInfo = {
  vendor: 'hamamatsu',
  levels: levels([
    [3968, 4864],
    [1984, 2432],
    [992, 1216],
    [496, 608],
    [248, 304],
    [124, 152],
    [62, 76],
  ]),
  properties: {
    'openslide.vendor': 'hamamatsu',
    'openslide.mpp-x': '0.2281750559028887',
    'openslide.mpp-y': '0.2281750559028887',
    'openslide.objective-power': '40',
  },
  associated: [{ name: 'macro', width: 1191, height: 408 }],
};

/** JPEG 2000 Aperio without MPP in its ImageDescription. */
export const TCGA_NO_MPP: SlideInfo = {
  vendor: 'aperio',
  levels: levels([
    [4443, 3567],
    [2221, 1783],
  ]),
  properties: { 'openslide.vendor': 'aperio' },
  associated: [{ name: 'thumbnail', width: 1024, height: 822 }],
};

export const BOXES: SlideInfo = {
  vendor: 'generic-tiff',
  levels: levels([
    [300, 250],
    [150, 125],
    [75, 62],
    [37, 31],
  ]),
  properties: { 'openslide.vendor': 'generic-tiff' },
  associated: [],
};

export const SMALL_SVS: SlideInfo = {
  vendor: 'aperio',
  levels: levels([[16, 16]]),
  properties: { 'openslide.vendor': 'aperio', 'openslide.mpp-x': '0.499', 'openslide.mpp-y': '0.499' },
  associated: [{ name: 'thumbnail', width: 16, height: 16 }],
};
