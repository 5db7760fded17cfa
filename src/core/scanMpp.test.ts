import { describe, expect, it } from 'vitest';
import { CMU_SMALL, TCGA_NO_MPP } from './testing/slides.ts';
import { makePlan } from './plan.ts';
import { mppFallbackNote, planningInfo, slideMppStatus } from './scanMpp.ts';
import type { SlideInfo } from './slide.ts';

const withMpp = (info: SlideInfo, v: string): SlideInfo => ({ ...info, properties: { ...info.properties, 'openslide.mpp-x': v, 'openslide.mpp-y': v } });

describe('slide µm/px status', () => {
  it('a scanner’s value is used as recorded', () => {
    expect(slideMppStatus(CMU_SMALL)).toEqual({ kind: 'recorded', mpp: { x: 0.499, y: 0.499 } });
    expect(planningInfo(CMU_SMALL)).toBe(CMU_SMALL);
  });

  it('no value is missing', () => {
    expect(slideMppStatus(TCGA_NO_MPP).kind).toBe('missing');
  });

  it('a 72-dpi TIFF default (352.8 µm/px) is not a scan resolution, and says so', () => {
    const s = slideMppStatus(withMpp(CMU_SMALL, '352.77777777777777'));
    expect(s.kind).toBe('implausible');
    expect(s.kind === 'implausible' && s.why).toBe('352.8 µm/px is 72 dpi, a default that image writers put in TIFF files, not a microscope\'s resolution');
    const odd = slideMppStatus(withMpp(CMU_SMALL, '0.0001'));
    expect(odd.kind === 'implausible' && odd.why).toMatch(/outside what slide scanners record \(0.02–20 µm\/px\)/);
  });

  it('planning never sees an implausible value: the level is then chosen by level, and µm/px is unknown', () => {
    const info = withMpp(CMU_SMALL, '352.8');
    const p = planningInfo(info);
    expect(p.properties['openslide.mpp-x']).toBeUndefined();
    expect(p.properties['openslide.vendor']).toBe('aperio');
    // the original stays verbatim (slide.json lists every property as OpenSlide gave it)
    expect(info.properties['openslide.mpp-x']).toBe('352.8');
    const plan = makePlan(p, { resolution: { mode: 'level', level: 0 } });
    expect(plan.mpp).toBeNull();
  });

  it('the note says what is missing, what happens instead and how to get µm/px planning back', () => {
    const n = mppFallbackNote({ kind: 'missing' }, 0.5, 0, 2);
    expect(n).toBe(
      "This slide does not record its resolution (no openslide.mpp-x/y in the file). Tiles are planned at level 0, full resolution (choose another level below) instead of 0.5 µm/px. Type the slide's µm/px if you know it, and the level is chosen for 0.5 µm/px again.",
    );
    expect(mppFallbackNote(slideMppStatus(withMpp(CMU_SMALL, '352.8')), 0.5, 0, 1)).toMatch(/^This slide's recorded resolution is not usable: 352.8 µm\/px is 72 dpi/);
  });
});
