// The export's dataset options (issue 12): what leaves the machine (identifying metadata, the slide's
// name), how tiles are labelled and filed by annotation class, and in which formats. Not persisted:
// a pseudonym's key is never stored, and identifiers are off again on every visit.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { deidentifyProperties, pseudonymFor, type AnnotationShape, type LabelRule, type RemovedProperty, type SlideInfo } from '../../core/index.ts';
import { classNames } from '../../core/annotations/colors.ts';
import type { ExportFormats } from '../../export/bundle.ts';

export interface DatasetOptions {
  keepIdentifiers: boolean;
  /** the pseudonym's key; '' = the slide keeps its name */
  pseudonymKey: string;
  layout: NonNullable<ExportFormats['layout']>;
  h5: boolean;
  parquet: boolean;
  shardMB: number;
  /** null = no labels */
  labelRule: LabelRule | null;
  byClass: boolean;
}

export const DEFAULT_DATASET_OPTIONS: DatasetOptions = {
  keepIdentifiers: false,
  pseudonymKey: '',
  layout: 'files',
  h5: false,
  parquet: false,
  shardMB: 256,
  labelRule: null,
  byClass: false,
};

export interface DatasetChoice {
  options: DatasetOptions;
  set(patch: Partial<DatasetOptions>): void;
  /** the properties de-identification leaves out of slide.json (names and why) */
  removed: RemovedProperty[];
  /** the slide's name in the export: its pseudonym when a key is set (null while it is being computed) */
  exportName: string | null;
  /** annotation classes a label can take (sorted) */
  classes: string[];
  /** what runExport and makeTables take */
  formats: ExportFormats;
}

export function useDatasetOptions(info: SlideInfo | null, slideName: string, shapes: readonly AnnotationShape[] | null): DatasetChoice {
  const [options, setOptions] = useState<DatasetOptions>(DEFAULT_DATASET_OPTIONS);
  const removed = useMemo(() => (info ? deidentifyProperties(info.properties).removed : []), [info]);
  const classes = useMemo(() => (shapes ? classNames(shapes) : []), [shapes]);
  const [pseudonym, setPseudonym] = useState<{ key: string; name: string; of: string } | null>(null);
  useEffect(() => {
    const key = options.pseudonymKey;
    if (key === '') return;
    let live = true;
    void pseudonymFor(slideName, key).then((name) => live && setPseudonym({ key, name, of: slideName }));
    return () => {
      live = false;
    };
  }, [options.pseudonymKey, slideName]);
  // labels need classes: a rule set for a slide whose annotations have none is not applied
  const labelRule = classes.length > 0 ? options.labelRule : null;
  const exportName = options.pseudonymKey === '' ? slideName : pseudonym && pseudonym.key === options.pseudonymKey && pseudonym.of === slideName ? pseudonym.name : null;
  const formats = useMemo<ExportFormats>(
    () => ({ layout: options.layout, h5: options.h5, parquet: options.parquet, shardBytes: Math.round(options.shardMB * 1024 * 1024) }),
    [options.layout, options.h5, options.parquet, options.shardMB],
  );
  const set = useCallback((patch: Partial<DatasetOptions>) => setOptions((o) => ({ ...o, ...patch })), []);
  return useMemo(
    () => ({ options: { ...options, labelRule, byClass: labelRule !== null && options.byClass }, set, removed, exportName, classes, formats }),
    [options, labelRule, set, removed, exportName, classes, formats],
  );
}
