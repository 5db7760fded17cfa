// The tissue mask drawn over the slide, translucent, so the user can judge it against the tissue:
// tissue tinted, background left clear. One canvas pixel per mask pixel, stretched over the slide's
// level-0 extent without smoothing, so what is drawn is exactly what the filter counts.
import { useMemo } from 'react';
import { Image as KonvaImage } from 'react-konva';
import type { TissueMask } from '../../core/filters/tissue.ts';

const TINT: [number, number, number, number] = [0, 200, 120, 110]; // green, ~43 % opaque

function maskCanvas(mask: TissueMask): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = mask.width;
  canvas.height = mask.height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) img.data.set(TINT, 4 * i);
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export function TissueOverlay({ mask }: { mask: TissueMask }) {
  const canvas = useMemo(() => maskCanvas(mask), [mask]);
  return (
    <KonvaImage
      image={canvas}
      x={0}
      y={0}
      width={mask.width * mask.downsample}
      height={mask.height * mask.downsample}
      listening={false}
      imageSmoothingEnabled={false}
      perfectDrawEnabled={false}
    />
  );
}
