// The native OpenSlide 4.0.1 oracle: the same tools/oracle/oracle.py as the 3.4.1 oracle (oracle.ts),
// run by the Python of a Debian sid root (libopenslide1 4.0.1, python3-openslide 1.4.6) with chroot.
// The root is built once by tools/oracle/sid-root.sh (vitest's global setup calls it).
//
// The slides reach the root through bind mounts at their own paths, so every path the tests use is
// valid inside the root unchanged. The mounts are made in a private mount namespace (unshare -m) that
// dies with the oracle's process: they cannot outlive a call, even when the oracle crashes or is
// killed, and the host never sees them. (Copying instead would cost ~100 MB of writes per run and a
// cache to keep in step with the samples; a bind mount is free and always current.) Read-only except
// the call's own scratch folder, where the oracle writes raw result bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OracleInfo, OracleRequest, OracleResult } from './oracle.ts';
import { REPO, SAMPLES_DIR, SHARED_SLIDES } from './slides.ts';

export const SID_ROOT = path.resolve(process.env.SLIDETILE_SID_ROOT ?? path.join(REPO, 'tools/.cache/sid-root'));
const STAMP = path.join(SID_ROOT, '.slidetile-oracle41');
const ORACLE_DIR = path.join(REPO, 'tools/oracle');

/** What 4.0.1's info adds over oracle.ts's (oracle.py reports them for either library). */
export interface OracleInfo41 extends OracleInfo {
  library_version: string;
  icc_profile: { size: number; sha256: string } | null;
  associated_icc_profiles: Record<string, { size: number; sha256: string }>;
}

/** Throws, naming the cause, when the 4.0.1 root is not there: the tests that need it fail, never skip. */
export function requireOracle41(): void {
  if (existsSync(STAMP)) return;
  // set by tools/vitest-global-setup.ts when it could not build the root (inherited by the test workers)
  const why = process.env.SLIDETILE_ORACLE41_ERROR ?? '';
  throw new Error(
    `the native OpenSlide 4.0.1 oracle (Debian sid root at ${SID_ROOT}) is not available` +
      (why ? `: ${why}` : '; build it with `bash tools/oracle/sid-root.sh` (root, network to deb.debian.org)'),
  );
}

/** The slide's folder and the folders every test slide lives in, parents before children. */
function exposed(slide: string, scratch: string): { dir: string; rw: boolean }[] {
  const dirs = [SHARED_SLIDES, path.join(REPO, '.cache'), SAMPLES_DIR, path.dirname(path.resolve(slide))];
  const ro = [...new Set(dirs)].filter((d) => existsSync(d) && !dirs.some((p) => p !== d && d.startsWith(p + path.sep)));
  return [...ro.map((dir) => ({ dir, rw: false })), { dir: ORACLE_DIR, rw: false }, { dir: scratch, rw: true }];
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** For crafted files that crash or hang native 4.0.1: a time limit, and a memory limit so it cannot exhaust the machine. */
export interface RunLimits {
  timeoutMs: number;
  memoryKb: number;
}

/** Thrown when native 4.0.1 itself died (signal, abort, time or memory limit) instead of answering. */
export class Oracle41Crashed extends Error {}

function run(args: string[], slide: string, scratch: string, limits?: RunLimits, pyScript = 'oracle.py'): unknown {
  requireOracle41();
  const mounts = exposed(slide, scratch)
    .map(({ dir, rw }) => {
      const at = sh(SID_ROOT + dir);
      return `mkdir -p ${at} && mount --bind ${sh(dir)} ${at}${rw ? '' : ` && mount -o remount,bind,ro ${at}`}`;
    })
    .join(' && ');
  // proc: numpy and Python's os module look at /proc; also private to the namespace
  const ulimit = limits ? `ulimit -v ${limits.memoryKb}; ` : '';
  const shell = `set -e; mount -t proc proc ${sh(SID_ROOT + '/proc')}; ${mounts}; ${ulimit}exec chroot ${sh(SID_ROOT)} /usr/bin/python3 ${sh(
    path.join(ORACLE_DIR, pyScript),
  )} ${args.map(sh).join(' ')}`;
  let out: Buffer;
  try {
    out = execFileSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', shell], {
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(limits ? { timeout: limits.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
  } catch (e) {
    const err = e as { status?: number | null; signal?: string | null; stdout?: Buffer; stderr?: Buffer };
    // oracle.py exits 2 with a JSON error when the slide cannot be opened: that is an answer
    if (err.status === 2 && err.stdout?.length) return JSON.parse(err.stdout.toString('utf8'));
    if (limits) {
      const why = err.signal ? `killed by ${err.signal}` : `exit ${err.status}`;
      throw new Oracle41Crashed(`native OpenSlide 4.0.1 did not answer (${why}): ${err.stderr?.toString('utf8').trim().split('\n').pop() ?? ''}`);
    }
    throw new Error(`native OpenSlide 4.0.1 oracle failed (${args.join(' ')}): ${err.stderr?.toString('utf8').trim().split('\n').slice(-3).join(' / ')}`, { cause: e });
  }
  return pyScript === 'oracle.py' ? JSON.parse(out.toString('utf8')) : out.toString('utf8');
}

function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'slidetile-oracle41-'));
}

function call<T>(args: (scratch: string) => string[], slide: string, keep = false, limits?: RunLimits): { out: T; scratch: string } {
  const scratch = scratchDir();
  slide = path.resolve(slide);
  try {
    return { out: run(args(scratch), slide, scratch, limits) as T, scratch };
  } finally {
    // the scratch folder's mount point inside the root, empty now that the namespace is gone
    // (rmdir, not rm -r: it could never delete through a mount)
    try {
      rmdirSync(SID_ROOT + scratch);
    } catch {
      // already gone
    }
    if (!keep) rmSync(scratch, { recursive: true, force: true });
  }
}

export type Oracle41Error = { error_type: string; message: string };

/**
 * Runs another script of tools/oracle with the sid root's Python — for the readers Debian 12 lacks
 * (pyarrow) — on files in the folder of `file`; returns its stdout.
 */
export function sidRootScript(script: string, args: string[], file: string): string {
  const scratch = scratchDir();
  try {
    return run(args, path.resolve(file), scratch, undefined, script) as string;
  } finally {
    try {
      rmdirSync(SID_ROOT + scratch);
    } catch {
      // already gone
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

// paths are made absolute: the oracle runs from the root's /, where a relative path means nothing
export const oracle41Info = (slide: string) => call<OracleInfo41 | Oracle41Error>(() => ['info', path.resolve(slide)], slide).out;

/** oracle.py open: open, read the level-0 centre and the whole last level. Limits: see RunLimits. */
export function oracle41Open(slide: string, limits?: RunLimits) {
  return call<{ ok: boolean; vendor?: string; error_type?: string; message?: string; read?: { ok: boolean; error?: string } }>(
    () => ['open', path.resolve(slide)],
    slide,
    false,
    limits,
  ).out;
}

/** Results, and the folder holding each result's raw bytes (`<index>.bin`, `<index>.alpha.bin`). */
export function oracle41Regions(slide: string, requests: OracleRequest[], repro = true): { results: OracleResult[]; rawDir: string } {
  const { out, scratch } = call<{ results: OracleResult[] }>(
    (dir) => {
      writeFileSync(path.join(dir, 'requests.json'), JSON.stringify(requests));
      return ['regions', path.resolve(slide), path.join(dir, 'requests.json'), '--raw-dir', path.join(dir, 'raw'), ...(repro ? [] : ['--no-repro'])];
    },
    slide,
    true,
  );
  return { results: out.results, rawDir: path.join(scratch, 'raw') };
}

export const rawResult = (rawDir: string, index: number, alpha = false) => readFileSync(path.join(rawDir, `${index}${alpha ? '.alpha' : ''}.bin`));

/**
 * Another script of tools/oracle (e.g. mutants_oracle.py, which takes an output path) run by 4.0.1's
 * Python: `args` gets a scratch folder to write into, and `output` (a file name in it) is returned.
 * `files` is a path whose folder (and the usual slide folders) the script must see.
 */
export function runOracleScript41(script: string, files: string, args: (scratch: string) => string[], output: string): string {
  const scratch = scratchDir();
  try {
    run(args(scratch), path.resolve(files), scratch, undefined, script);
    return readFileSync(path.join(scratch, output), 'utf8');
  } finally {
    try {
      rmdirSync(SID_ROOT + scratch);
    } catch {
      // already gone
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}
