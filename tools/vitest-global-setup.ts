// Before the unit/engine tests: make sure the generated sample slides exist (quick when cached).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup() {
  const root = path.resolve(import.meta.dirname, '..');
  if (!existsSync(path.join(root, '.cache/samples/samples.json'))) {
    execFileSync('bash', ['tools/samples/make-all.sh', '.cache/samples'], { cwd: root, stdio: 'inherit' });
  }
}
