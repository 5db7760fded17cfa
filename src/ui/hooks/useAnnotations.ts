// Annotation files → the core's AnnotationSet (parsed by the core) → rings for the preview.
import { useCallback, useMemo, useRef, useState } from 'react';
import { boundsOffset, parseAnnotations, type AnnotationSet, type SlideInfo } from '../../core/index.ts';
import type { AnnotationRing } from '../viewer/overlay.ts';
import { classColor, classNames } from '../../core/annotations/colors.ts';
import { explainAnnotationRefusal, type Refusal } from '../../core/refusals.ts';

export interface LoadedAnnotations {
  name: string;
  set: AnnotationSet;
  classes: string[];
  /** offset added to every coordinate (openslide.bounds-x/y), when non-zero */
  offset: [number, number];
}

export { classColor };

export function ringsOf(loaded: LoadedAnnotations | null): AnnotationRing[] {
  if (!loaded) return [];
  const out: AnnotationRing[] = [];
  for (const s of loaded.set.shapes) {
    const color = classColor(s, loaded.classes);
    for (const poly of s.polygons)
      poly.forEach((ring, k) => {
        const pts = new Float64Array(ring.length * 2);
        ring.forEach((p, j) => {
          pts[2 * j] = p[0];
          pts[2 * j + 1] = p[1];
        });
        out.push({ points: pts, color, hole: k > 0 || s.negative === true });
      });
  }
  return out;
}

export function useAnnotations(info: SlideInfo | null) {
  const [loaded, setLoaded] = useState<LoadedAnnotations | null>(null);
  const [error, setErrorText] = useState<string | null>(null);
  // the refused annotation file, named (never the slide), with the likely cause and what to do
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const setError = useCallback((message: string | null) => {
    setErrorText(message);
    setRefusal(null);
  }, []);
  // only the newest load may set state: a big file still being read must not replace a later one
  const seq = useRef(0);
  const load = useCallback(
    async (file: File) => {
      const mine = ++seq.current;
      setError(null);
      let text = '';
      try {
        const offset = info ? boundsOffset(info) : ([0, 0] as [number, number]);
        text = await file.text();
        const set = parseAnnotations(text, file.name, { offset });
        const classes = classNames(set.shapes);
        if (mine === seq.current) setLoaded({ name: file.name, set, classes, offset });
      } catch (e) {
        // a refused file leaves the loaded set (and so the coverage filter) as it was: the file is
        // all-or-nothing, and a half-read set would silently change which tiles are accepted
        if (mine !== seq.current) return;
        const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
        const r = explainAnnotationRefusal(file.name, { code, message: e instanceof Error ? e.message : String(e) }, { declaresEntities: text.includes('<!ENTITY') });
        setErrorText(r.openslideReason);
        setRefusal(r);
      }
    },
    [info, setError],
  );
  const clear = useCallback(() => {
    seq.current++;
    setLoaded(null);
    setError(null);
  }, [setError]);
  const rings = useMemo(() => ringsOf(loaded), [loaded]);
  return { loaded, error, refusal, load, clear, rings, setError };
}
