// Before the unit/engine tests: make sure the generated sample slides exist (quick when cached), and
// the native OpenSlide 4.0.1 oracle (a Debian sid root, tools/oracle/sid-root.sh: ~5 min once, then a
// no-op) with its samples.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup() {
  const root = path.resolve(import.meta.dirname, '..');
  if (!existsSync(path.join(root, '.cache/samples/samples.json'))) {
    execFileSync('bash', ['tools/samples/make-all.sh', '.cache/samples'], { cwd: root, stdio: 'inherit' });
  }
  // samples for what 4.0.1 does differently, and the crafted Ventana BIFs (CVE-2026-48977); seconds
  execFileSync('/usr/bin/python3', ['tools/samples/gen_samples41.py', '.cache/samples41'], { cwd: root, stdio: 'inherit' });
  execFileSync('/usr/bin/python3', ['tools/samples/gen_bif_crafted.py', '.cache/crafted-bif'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // The 4.0.1 root. If it cannot be built (no network to Debian's archive, not root), the run goes
  // on and every test that needs it fails naming this reason (src/engine/testing/oracle41.ts):
  // the other suites still run, and nothing is skipped silently.
  const t0 = Date.now();
  try {
    execFileSync('bash', ['tools/oracle/sid-root.sh'], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    const s = (Date.now() - t0) / 1000;
    if (s > 10) console.log(`native OpenSlide 4.0.1 oracle root built in ${s.toFixed(0)} s`);
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? String(e);
    process.env.SLIDETILE_ORACLE41_ERROR = `tools/oracle/sid-root.sh failed: ${stderr.split('\n').slice(-4).join(' / ')}`;
    console.error(`\n${process.env.SLIDETILE_ORACLE41_ERROR}\n`);
  }
}
