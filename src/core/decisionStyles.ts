// The colour, dash and label of each tile decision, as the viewer draws its boxes and plan.png its
// legend: one table, so the figure in a dataset matches what the user saw.
export interface BoxStyle {
  stroke: string;
  fill?: string;
  dash?: number[];
  width: number;
  label: string;
}

// accepted is blue (the seed's figure); rejections fade by how "expected" they are.
const STYLES: Record<string, BoxStyle> = {
  accepted: { stroke: '#1f6feb', fill: 'rgba(31,111,235,0.04)', width: 1.6, label: 'accepted' },
  std: { stroke: 'rgba(110,118,129,0.85)', dash: [4, 3], width: 1, label: 'low std' },
  tissue: { stroke: 'rgba(191,135,0,0.9)', dash: [2, 3], width: 1, label: 'little tissue' },
  coverage: { stroke: 'rgba(137,87,229,0.9)', dash: [6, 3], width: 1, label: 'outside annotation' },

  manual: { stroke: '#cf222e', fill: 'rgba(207,34,46,0.12)', width: 1.6, label: 'excluded by hand' },
  limit: { stroke: 'rgba(31,111,235,0.55)', dash: [1, 3], width: 1, label: 'past the limit' },
  'read-failed': { stroke: '#cf222e', dash: [1, 2], width: 2, label: 'read failed' },
  'not-reached': { stroke: 'rgba(31,111,235,0.55)', dash: [1, 3], width: 1, label: 'not reached (export cancelled)' },
};
const FALLBACK: BoxStyle = { stroke: 'rgba(110,118,129,0.7)', dash: [3, 3], width: 1, label: 'rejected' };

export function styleFor(reason: string): BoxStyle {
  return STYLES[reason] ?? { ...FALLBACK, label: reason };
}
