// An export's speed in words that say what they count. Reading is the work (each candidate is read,
// then saved or rejected by std), so the time left is what is left to READ at the read rate; the save
// rate is shown beside it because it is what fills the dataset. Outcomes carried over from an
// interrupted run (resume) cost nothing and count toward neither rate.

export interface ProgressCounts {
  /** candidates committed so far (saved + rejected by std + failed), carried ones included */
  done: number;
  saved: number;
  /** of `done`, outcomes carried over from an earlier run (not read again) */
  resumed: number;
  /** of `saved`, tiles carried over from an earlier run */
  carriedSaved: number;
  /** candidates in the plan */
  candidates: number;
  /** tiles to save: min(limit, candidates) */
  target: number;
  elapsedMs: number;
}

export interface ProgressRates {
  /** tiles read per second (every read, saved or not) */
  readPerSecond: number;
  /** tiles saved per second by this run */
  savedPerSecond: number;
  /**
   * candidates still to read: all the rest without a limit; with one, as many as the share saved so
   * far says the limit still needs (all the rest while nothing has been saved)
   */
  leftToRead: number;
  /** leftToRead at the read rate; null until something has been read */
  secondsLeft: number | null;
}

export function progressRates(p: ProgressCounts): ProgressRates {
  const read = p.done - p.resumed;
  const savedHere = p.saved - p.carriedSaved;
  const perMs = (n: number) => (p.elapsedMs > 0 ? (n * 1000) / p.elapsedMs : 0);
  const readPerSecond = perMs(read);
  const savedPerSecond = perMs(savedHere);
  const rest = Math.max(0, p.candidates - p.done);
  const stillToSave = Math.max(0, p.target - p.saved);
  let leftToRead: number;
  if (stillToSave === 0) leftToRead = 0;
  else if (p.saved === 0) leftToRead = rest;
  else leftToRead = Math.min(rest, Math.ceil(stillToSave / (p.saved / p.done)));
  const secondsLeft = read > 0 && readPerSecond > 0 ? leftToRead / readPerSecond : null;
  return { readPerSecond, savedPerSecond, leftToRead, secondsLeft };
}
