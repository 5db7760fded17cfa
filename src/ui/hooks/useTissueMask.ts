// The tissue mask of the slide's overview (core filters/tissue.ts), with the mode the user chose
// (useTissueChannel: 'auto' by default) and the morphology sized in µm at the overview's µm/px, and
// whether it is shown over the viewer. The summary is what the Controls show beside the choice, so a
// wrong mode is obvious at a glance: what auto chose and why, the threshold, the share of tissue.
import { useCallback, useMemo, useState } from 'react';
import { maskFraction, tissueMaskFromRGBA, tissueMorphologyFor, type TissueBackground, type TissueChannel, type TissueMask, type TissueMode, type TissueMorphology } from '../../core/filters/tissue.ts';
import type { OverviewImage } from './useOverview.ts';
import { useTissueChannel } from './useTissueChannel.ts';

export interface TissueSummary {
  mode: TissueMode;
  channel: TissueChannel;
  threshold: number;
  /** share of the overview's pixels that are tissue, after the morphology */
  fraction: number;
  background: TissueBackground;
  morphology: TissueMorphology | null;
}

/**
 * `mpp`: level-0 µm/px as planning uses it (the slide's, or the one typed); null without one, when
 * the morphology falls back to sizes in overview pixels.
 */
export function useTissueMask(overview: OverviewImage | null | undefined, background: number, mpp: number | null) {
  const [mode, setMode] = useTissueChannel();
  const [shown, setShown] = useState(false);
  const toggleShown = useCallback(() => setShown((s) => !s), []);
  const overviewMpp = overview && mpp !== null ? mpp * overview.downsample : null;
  const mask = useMemo<TissueMask | undefined>(
    () =>
      overview
        ? tissueMaskFromRGBA(overview.rgba.data, overview.rgba.width, overview.rgba.height, overview.downsample, {
            background,
            channel: mode,
            morphology: tissueMorphologyFor(overviewMpp),
          })
        : undefined,
    [overview, background, mode, overviewMpp],
  );
  const summary = useMemo<TissueSummary | null>(
    () =>
      mask
        ? { mode: mask.mode ?? mask.channel, channel: mask.channel, threshold: mask.threshold, fraction: maskFraction(mask), background: mask.background!, morphology: mask.morphology ?? null }
        : null,
    [mask],
  );
  return { mask, summary, mode, setMode, shown, setShown, toggleShown };
}
