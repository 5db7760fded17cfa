// Plan parameters, persisted across reloads; what comes back from storage is validated by the core's
// schema and falls back to the seed's defaults when it does not parse.
import { useCallback, useEffect, useState } from 'react';
import { defaultPlanParams, planParamsSchema, type PlanParams } from '../../core/params.ts';

const KEY = 'slidetile.settings.v1';

export function loadSettings(): PlanParams {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return defaultPlanParams;
    const r = planParamsSchema.safeParse(JSON.parse(raw));
    return r.success ? r.data : defaultPlanParams;
  } catch {
    return defaultPlanParams;
  }
}

export function useSettings() {
  const [params, setParams] = useState<PlanParams>(loadSettings);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify(params));
    } catch {
      // private mode or full storage: settings simply do not persist
    }
  }, [params]);
  const update = useCallback((patch: Partial<PlanParams>) => {
    setParams((p) => {
      const r = planParamsSchema.safeParse({ ...p, ...patch });
      return r.success ? r.data : p;
    });
  }, []);
  const reset = useCallback(() => setParams(defaultPlanParams), []);
  return { params, update, reset };
}
