// Re-opening a previous export in the app: its slide.json (or the zip holding it), dropped with the
// slide or after it, restores that plan — parameters, typed µm/px, manual choices — and says what may
// make it differ (core/export/reopen.ts). The manual choices are keyed to the geometry the restored
// parameters give, so the reset that a change of geometry causes does not wipe them.
import { useCallback, useEffect, useState } from 'react';
import { reopenSlideJson, type PlanParams, type SlideInfo } from '../../core/index.ts';

export interface ReopenNote {
  /** the file the plan came from */
  from: string;
  warnings: string[];
  error: string | null;
}

interface Targets {
  info: SlideInfo | null;
  /** the open slide's main file: a plan dropped with a slide waits for that slide */
  currentMain: unknown;
  update(params: Partial<PlanParams>): void;
  setManual(m: { key: string; map: Map<number, boolean> }): void;
  setMpp(v: number | null): void;
}

async function slideJsonText(file: File): Promise<string> {
  if (!/\.zip$/i.test(file.name)) return file.text();
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(file);
  // an export's zip has slide.json at its root (a multi-part in-memory export: in its last part)
  const entry = zip.file('slide.json');
  if (!entry) throw new Error(`${file.name} holds no slide.json: it is not a Slidetile export (or not its last part)`);
  return entry.async('string');
}

/** The plan's geometry key as App keys manual choices (level|tile|stride|last). */
export function geometryKeyOf(level: number, p: Pick<PlanParams, 'tile' | 'stride' | 'last'>): string {
  return `${level}|${p.tile.join('x')}|${p.stride.join('x')}|${p.last}`;
}

export function useReopen({ info, currentMain, update, setManual, setMpp }: Targets) {
  const [pending, setPending] = useState<{ file: File; main: unknown } | null>(null);
  const [note, setNote] = useState<ReopenNote | null>(null);
  useEffect(() => {
    if (!pending || !info || (pending.main !== null && pending.main !== currentMain)) return;
    const file = pending.file;
    setPending(null);
    void (async () => {
      try {
        const r = reopenSlideJson(await slideJsonText(file), info);
        update(r.params);
        setManual({ key: geometryKeyOf(r.expected.level, r.params), map: r.manual });
        if (r.mppOverride !== undefined) setMpp(typeof r.mppOverride === 'number' ? r.mppOverride : r.mppOverride.x);
        const warnings = [...r.warnings];
        if (r.annotationFile) warnings.push(`the export's coverage came from ${r.annotationFile.name}: load that file for the same plan`);
        setNote({ from: file.name, warnings, error: null });
      } catch (e) {
        setNote({ from: file.name, warnings: [], error: e instanceof Error ? e.message : String(e) });
      }
    })();
  }, [pending, info, currentMain, update, setManual, setMpp]);
  /** `main`: the main file of the slide dropped with it (null: for the slide open now) */
  const load = useCallback((file: File, main: unknown = null) => setPending({ file, main }), []);
  const dismiss = useCallback(() => setNote(null), []);
  return { load, note, dismiss };
}
