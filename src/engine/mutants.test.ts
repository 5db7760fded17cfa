// Seeded mutants of the samples (issue 8, item 8: flipped bytes in headers and IFDs, damaged IFD
// entries, zeroed ranges, truncations, offsets past the end) get native OpenSlide's outcome in the
// wasm engine: opened with the same vendor, levels, properties and read pixels (or the same read
// failure), or refused with native's reason; never a hang, never a trap.
//
// The mutants come from tools/mutants/make_mutants.py (fixed seed), native's outcomes from
// tools/oracle/mutants_oracle.py (Debian's python3-openslide), both cached under .cache/mutants and
// remade when their script or input changes. The engine runs in a child process
// (tools/mutants/engine_run.ts) so a hang on one file can be ended and reported.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './testing/slides.ts';
import { requireOracle41, runOracleScript41 } from './testing/oracle41.ts';

const DIR = path.join(REPO, '.cache/mutants');
const MAKE = path.join(REPO, 'tools/mutants/make_mutants.py');
const ORACLE = path.join(REPO, 'tools/oracle/mutants_oracle.py');
const RUNNER = path.join(REPO, 'tools/mutants/engine_run.ts');
/**
 * Not a speed limit: a file still running after this long is a hang (the slowest mutant takes well
 * under a second). It bounds each file so one hang cannot stall the suite.
 */
const HANG_AFTER_MS = 30_000;

interface Mutant { id: string; path: string; source: string; kind: string; mutation: string }
interface Read { req: unknown[]; sha256?: string; error?: string; error_type?: string; code?: string }
interface NativeRead extends Read { nondeterministic?: Read[]; scalar_jpeg?: Read }
interface Opened<R> { ok: true; vendor: string | null; levels: number[][]; properties: Record<string, string>; associated: Record<string, number[]>; reads: R[] }
interface Refused { ok: false; vendor: string | null; message: string; error_type?: string; code?: string }
type NativeResult = Opened<NativeRead> | Refused | { native_died: true; reason: string } | { nondeterministic: true; runs: unknown[] };
type EngineResult = Opened<Read> | Refused | { trap: string } | { hang: true };

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The mutants, remade when make_mutants.py changes (it is deterministic: same script, same bytes). */
function ensureMutants(): Mutant[] {
  const stamp = path.join(DIR, 'generator.sha256');
  const want = sha256(readFileSync(MAKE));
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want || !existsSync(path.join(DIR, 'mutants.json'))) {
    execFileSync('/usr/bin/python3', [MAKE, DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(stamp, want);
  }
  return JSON.parse(readFileSync(path.join(DIR, 'mutants.json'), 'utf8')) as Mutant[];
}

/** Native results, remade (about a minute) when the oracle script or the mutant list changes. */
function ensureNative(): Record<string, NativeResult> {
  const out = path.join(DIR, 'native.json');
  const key = sha256(Buffer.concat([readFileSync(ORACLE), readFileSync(path.join(DIR, 'mutants.json'))]));
  if (!existsSync(out) || (JSON.parse(readFileSync(out, 'utf8')) as { key: string }).key !== key) {
    execFileSync('/usr/bin/python3', [ORACLE, DIR, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return (JSON.parse(readFileSync(out, 'utf8')) as { results: Record<string, NativeResult> }).results;
}

/**
 * The same oracle run by native OpenSlide 4.0.1 (the Debian sid root, testing/oracle41.ts): the engine
 * reads like 4.0.1, so where it differs from 3.4.1 (4.0.1's extra properties, libtiff's last error in
 * messages, levels narrower than a tile) it must give 4.0.1's outcome. One truth per fact.
 */
function ensureNative41(): Record<string, NativeResult> {
  requireOracle41();
  const out = path.join(DIR, 'native41.json');
  const key = sha256(Buffer.concat([readFileSync(ORACLE), readFileSync(path.join(DIR, 'mutants.json'))]));
  if (!existsSync(out) || (JSON.parse(readFileSync(out, 'utf8')) as { key: string }).key !== key) {
    writeFileSync(out, runOracleScript41('mutants_oracle.py', path.join(DIR, 'mutants.json'), (scratch) => [DIR, path.join(scratch, 'out.json')], 'out.json'));
  }
  return (JSON.parse(readFileSync(out, 'utf8')) as { results: Record<string, NativeResult> }).results;
}

/**
 * Mutants on which native 4.0.1's outcome comes from its newer libtiff (sid's 4.7; the engine has
 * Debian 12's 4.5, as native 3.4.1), not from OpenSlide: the engine keeps 3.4.1's outcome, plus the
 * associated-image size properties every 4.0.1 slide has.
 */
const LIBTIFF_OUTCOME: Record<string, string> = {
  'aperio-pyramid/016-tag':
    'IFD 3 loses Photometric: libtiff 4.5 stops reading directories there (3.4.1 and the engine see 2 levels); ' +
    "libtiff 4.7 reads it, and 4.0.1 refuses the slide: 'Cannot get required TIFF tag: 262'",
};

/** Runs the engine on every mutant in child processes; a file that runs too long is a hang, the child is ended and the rest go on in a new one. */
async function runEngine(list: { id: string; path: string }[]): Promise<Map<string, EngineResult>> {
  const results = new Map<string, EngineResult>();
  let todo = list;
  while (todo.length) {
    const listFile = path.join(DIR, 'engine-list.json');
    writeFileSync(listFile, JSON.stringify(todo));
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, listFile], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
      let current: string | null = null;
      let timer: NodeJS.Timeout | undefined;
      let buffered = '';
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (current) results.set(current, { hang: true });
          child.kill('SIGKILL');
        }, HANG_AFTER_MS);
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const msg = JSON.parse(buffered.slice(0, nl)) as { begin?: string; id?: string; result?: EngineResult };
          buffered = buffered.slice(nl + 1);
          if (msg.begin) {
            current = msg.begin;
            arm();
          } else if (msg.id) {
            results.set(msg.id, msg.result!);
            current = null;
          }
        }
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        // a child that died on its own (not ended for a hang) with a file unfinished: the engine crashed the process
        if (current && !results.has(current)) results.set(current, { trap: `the engine process died (exit ${code}, signal ${signal})` });
        resolve();
      });
    });
    const before = todo.length;
    todo = todo.filter((m) => !results.has(m.id));
    if (todo.length === before) throw new Error(`the engine runner made no progress (next: ${todo[0].id})`);
  }
  return results;
}

/** Native messages name the native path; the engine's name the path inside its file system. */
const normalise = (m: string | undefined, file: string) => (m ?? '').split(path.dirname(file) + '/').join('').replace(/\/host\d+\//g, '');

const mutants = ensureMutants();
let native: Record<string, NativeResult>;
let native41: Record<string, NativeResult>;
let engine: Map<string, EngineResult>;
const skipped: string[] = [];
const tally = { files: 0, agree: 0, skippedFiles: 0, reads: 0, readsAgree: 0, readsNondeterministic: 0, readsScalarJpeg: 0, readsAs41: 0, propertiesAs41: 0 };

beforeAll(async () => {
  native = ensureNative();
  native41 = ensureNative41();
  engine = await runEngine(mutants.map((m) => ({ id: m.id, path: path.join(DIR, m.path) })));
}, 600_000);

afterAll(() => {
  console.log(
    `mutants: ${tally.files} files, ${tally.agree} agree with native, ${tally.skippedFiles} not compared; ` +
      `${tally.reads} reads: ${tally.readsAgree} equal, ${tally.readsScalarJpeg} equal to native with libjpeg-turbo's SIMD off, ` +
      `${tally.readsNondeterministic} not compared (native differs from run to run); ` +
      `equal to native 4.0.1 where the engine differs from 3.4.1: ${tally.propertiesAs41} properties, ${tally.readsAs41} reads`,
  );
  if (skipped.length) console.log(`not compared:\n  ${skipped.join('\n  ')}`);
});

describe.each(mutants.map((m) => [m.id, m] as const))('%s', (_id, m) => {
  it('gets native OpenSlide’s outcome, without a hang or a trap', () => {
    const file = path.join(DIR, m.path);
    const want = native[m.id];
    const got = engine.get(m.id);
    const where = `${m.id} (${m.mutation})`;
    tally.files++;
    expect(got, `${where}: no engine result`).toBeDefined();
    expect(got, `${where}: the engine hung`).not.toHaveProperty('hang');
    expect(got, `${where}: the engine trapped`).not.toHaveProperty('trap');
    if ('native_died' in want || 'nondeterministic' in want) {
      tally.skippedFiles++;
      skipped.push(`${where}: ${'native_died' in want ? want.reason : 'native opens it differently from run to run'}`);
      return;
    }
    const g = got as Opened<Read> | Refused;
    expect(g.vendor, `${where}: detected vendor`).toBe(want.vendor);
    if (!want.ok) {
      expect(g.ok, `${where}: native refuses it (${want.message}), the engine opened it`).toBe(false);
      const r = g as Refused;
      expect(normalise(r.message, file), `${where}: reason`).toBe(normalise(want.message, file));
      expect(r.code, where).toBe(want.error_type === 'OpenSlideUnsupportedFormatError' ? 'unsupported-format' : 'corrupt-slide');
      tally.agree++;
      return;
    }
    expect(g.ok, `${where}: native opens it, the engine refused it: ${(g as Refused).message}`).toBe(true);
    const o = g as Opened<Read>;
    expect(o.levels, `${where}: levels`).toEqual(want.levels);
    // a property that is not 3.4.1's must be 4.0.1's (added, changed or dropped by 4.0.1)
    const want41 = native41[m.id];
    const opened41 = want41 && 'ok' in want41 && want41.ok ? (want41 as Opened<NativeRead>) : null;
    for (const k of new Set([...Object.keys(o.properties), ...Object.keys(want.properties)])) {
      if (o.properties[k] === want.properties[k]) continue;
      if (m.id in LIBTIFF_OUTCOME && k.startsWith('openslide.associated.') && want.properties[k] === undefined) {
        tally.propertiesAs41++;
        continue;
      }
      expect(opened41, `${where}: property ${k} differs from 3.4.1 and native 4.0.1 did not open the file`).not.toBeNull();
      expect(o.properties[k], `${where}: property ${k} (native 4.0.1's)`).toBe(opened41!.properties[k]);
      tally.propertiesAs41++;
    }
    expect(o.associated, `${where}: associated images`).toEqual(want.associated);
    expect(o.reads.map((r) => r.req), `${where}: requests`).toEqual(want.reads.map((r) => r.req));
    want.reads.forEach((w, i) => {
      const r = o.reads[i];
      tally.reads++;
      if (w.nondeterministic) {
        tally.readsNondeterministic++;
        skipped.push(`${where}: read ${JSON.stringify(w.req)}: native gives other bytes from run to run`);
        return;
      }
      const same = (x: Read) => x.sha256 === r.sha256 && normalise(x.error, file) === normalise(r.error, file);
      const w41 = opened41?.reads[i];
      if (!same(w) && w41 && JSON.stringify(w41.req) === JSON.stringify(w.req) && !w41.nondeterministic && (same(w41) || (w41.scalar_jpeg && same(w41.scalar_jpeg)))) {
        // not 3.4.1's answer but 4.0.1's (e.g. a level narrower than a tile, libtiff's last error)
        tally.readsAs41++;
        return;
      }
      if (w.scalar_jpeg && !same(w) && same(w.scalar_jpeg)) {
        // corrupt JPEG data: the engine's libjpeg-turbo is its C code, native's uses x86 SIMD, which
        // differs on out-of-range coefficients; native with its SIMD off gives the engine's bytes
        tally.readsScalarJpeg++;
        return;
      }
      expect({ sha256: r.sha256, error: normalise(r.error, file) }, `${where}: read ${JSON.stringify(w.req)}`).toEqual({
        sha256: w.sha256,
        error: normalise(w.error, file),
      });
      if (w.error) expect(w.error_type === 'OpenSlideError' && r.code === 'read-failed', `${where}: read error kind`).toBe(true);
      tally.readsAgree++;
    });
    tally.agree++;
  });
});
