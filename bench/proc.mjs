// Memory and CPU of process trees, from /proc (Linux): the bench's only way of measuring memory, so
// every figure counts the same thing. RSS is per process (a process's threads share it: a Node
// process and its worker_threads are one VmRSS); PSS (smaps_rollup) counts shared pages once.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Every process under `root` (children, grandchildren …), not `root` itself. */
export function descendants(root) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      // gone
    }
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * Sum of VmRSS and of Pss (bytes) over the processes under `root` whose executable's path contains
 * `exe` (e.g. 'chromium', 'node'), and how many there were.
 */
export function treeMemory(root, exe) {
  let rss = 0;
  let pss = 0;
  let n = 0;
  for (const pid of descendants(root)) {
    try {
      if (!readlinkSync(`/proc/${pid}/exe`).includes(exe)) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const r = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      // kernel threads and zombies have no VmRSS
      if (r === 0) continue;
      rss += r;
      const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0) * 1024;
      n++;
    } catch {
      // gone or not ours
    }
  }
  return { rss, pss, processes: n };
}

/**
 * Samples treeMemory(root, exe) every `ms`: the peaks of RSS and PSS, and the RSS series (for the
 * growth rate), with times in seconds from the start.
 */
export class TreeSampler {
  constructor(root, exe, ms = 100) {
    this.root = root;
    this.exe = exe;
    this.t0 = Date.now();
    this.peak = { rss: 0, pss: 0, processes: 0 };
    this.series = [];
    this.marks = {};
    this.timer = setInterval(() => this.sample(), ms);
  }
  sample() {
    const m = treeMemory(this.root, this.exe);
    if (m.processes === 0) return m;
    if (m.rss > this.peak.rss) this.peak = { ...this.peak, rss: m.rss, processes: m.processes };
    if (m.pss > this.peak.pss) this.peak.pss = m.pss;
    this.series.push([(Date.now() - this.t0) / 1000, m.rss]);
    return m;
  }
  /** names the current moment (e.g. 'started', 'tilesDone') for the growth rate's window */
  mark(name) {
    this.marks[name] = (Date.now() - this.t0) / 1000;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/**
 * RSS growth in bytes per second: the least-squares slope of the samples between `from` and `to`
 * (seconds), leaving out the first fifth of that window (start-up: workers, first tiles).
 */
export function growthPerSecond(series, from, to) {
  const a = from + (to - from) / 5;
  const pts = series.filter(([t]) => t >= a && t <= to);
  if (pts.length < 10) return null;
  const n = pts.length;
  const mt = pts.reduce((s, [t]) => s + t, 0) / n;
  const mr = pts.reduce((s, [, r]) => s + r, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, r] of pts) {
    num += (t - mt) * (r - mr);
    den += (t - mt) ** 2;
  }
  return den > 0 ? num / den : null;
}

/** The series thinned to one sample per `every` seconds (the peak of each bucket), for results.json. */
export function thin(series, every = 5) {
  const out = [];
  for (const [t, r] of series) {
    const b = Math.floor(t / every);
    const last = out[out.length - 1];
    if (last && Math.floor(last[0] / every) === b) {
      if (r > last[1]) out[out.length - 1] = [last[0], r];
    } else out.push([Math.round(t * 10) / 10, r]);
  }
  return out.map(([t, r]) => [t, Math.round(r / 1048576)]);
}
