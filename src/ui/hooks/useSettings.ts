// Plan parameters, persisted across reloads, with the geometry controls' own state beside them (is the
// stride tied to the tile). What comes back from storage is validated and migrated by the core
// (core/geometryControls.ts: a state saved before the controls existed loads without loss) and falls
// back to the seed's defaults when it does not parse. Every change goes through the tie rule.
import { useCallback, useEffect, useState } from 'react';
import type { PlanParams } from '../../core/params.ts';
import { differsFromDefaults } from './restoredSettings.ts';
import { applyOverlap, applyPlanPatch, defaultSettings, migrateSettings, setStrideTied, storedSettings, type Settings } from '../../core/geometryControls.ts';

// still v1: the stored object is still the plan parameters (the controls ride beside them as
// `controls`), which an older build reads as before
const KEY = 'slidetile.settings.v1';

export function loadSettings(): Settings {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? migrateSettings(JSON.parse(raw)) : defaultSettings;
  } catch {
    return defaultSettings;
  }
}

export function useSettings() {
  const [settings, setSettings] = useState<Settings>(loadSettings);
  // the session began with saved settings other than the defaults: the controls say so until reset or dismissed
  const [restored, setRestored] = useState(() => differsFromDefaults(settings));
  const dismissRestored = useCallback(() => setRestored(false), []);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify(storedSettings(settings)));
    } catch {
      // private mode or full storage: settings simply do not persist
    }
  }, [settings]);
  const update = useCallback((patch: Partial<PlanParams>) => setSettings((s) => applyPlanPatch(s, patch)), []);
  const setOverlap = useCallback((overlap: number) => setSettings((s) => applyOverlap(s, overlap)), []);
  const tieStride = useCallback((tied: boolean) => setSettings((s) => setStrideTied(s, tied)), []);
  const reset = useCallback(() => {
    setSettings(defaultSettings);
    setRestored(false);
  }, []);
  return { params: settings.params, controls: settings.controls, update, setOverlap, tieStride, reset, restored, dismissRestored };
}
