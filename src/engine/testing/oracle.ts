// Calls the native oracle (Debian's python3-openslide, tools/oracle/oracle.py) for parity tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ORACLE = path.resolve(import.meta.dirname, '../../../tools/oracle/oracle.py');

function run(args: string[]): unknown {
  const out = execFileSync('/usr/bin/python3', [ORACLE, ...args], { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.toString('utf8'));
}

export interface OracleInfo {
  vendor: string | null;
  level_count: number;
  level_dimensions: [number, number][];
  level_downsamples: number[];
  properties: Record<string, string>;
  associated_images: Record<string, [number, number]>;
}

export type OracleRequest =
  | { kind: 'region'; x: number; y: number; level: number; w: number; h: number }
  | { kind: 'tile'; x: number; y: number; level: number; w: number; h: number; background: number }
  | { kind: 'associated'; name: string };

export interface OracleResult {
  index: number;
  kind: string;
  sha256?: string;
  error?: string;
  reproducible: boolean | null;
  alpha_all_opaque?: boolean;
}

export const oracleInfo = (slide: string) => run(['info', slide]) as OracleInfo;

export function oracleOpen(slide: string) {
  return run(['open', slide]) as { ok: boolean; error_type?: string; message?: string; read?: { ok: boolean; error?: string } };
}

/**
 * Marks results as not reproducible when native OpenSlide gives other bytes for the same request in a
 * second process that reads the requests in reverse order: on TIFF levels narrower than one tile
 * libtiff's "Raster width adapted" path depends on what was read before (the oracle's own check,
 * a fresh handle in the same process, does not see that).
 */
export function markHistoryDependent(slide: string, requests: OracleRequest[], results: OracleResult[]): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-oracle-'));
  const req = path.join(dir, 'requests.json');
  writeFileSync(req, JSON.stringify([...requests].reverse()));
  const again = (run(['regions', slide, req, '--no-repro']) as { results: OracleResult[] }).results.reverse();
  results.forEach((r, i) => {
    if (r.sha256 !== again[i].sha256 || r.error !== again[i].error) r.reproducible = false;
  });
}

/** Results, plus the folder where each result's raw bytes are (`<index>.bin`, `<index>.alpha.bin`). */
export function oracleRegions(slide: string, requests: OracleRequest[]): { results: OracleResult[]; rawDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'slidetile-oracle-'));
  const req = path.join(dir, 'requests.json');
  writeFileSync(req, JSON.stringify(requests));
  const rawDir = path.join(dir, 'raw');
  const out = run(['regions', slide, req, '--raw-dir', rawDir]) as { results: OracleResult[] };
  return { results: out.results, rawDir };
}
