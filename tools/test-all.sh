#!/usr/bin/env bash
# The one command that runs every test (README: `npm test`). Installs what it needs on Debian:
# chromium for Playwright, python3-openslide/openslide-tools as the native oracle, then npm deps.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
status=0
echo "== typecheck"; npx tsc --noEmit -p . || status=1
echo "== lint (eslint: typescript-eslint, rules of hooks, layering)"; npx eslint src e2e e2e-firefox bench tools && echo "eslint: no problems" || status=1
echo "== unit and engine tests (vitest)"; npx vitest run || status=1
if [ -d e2e ] && ls e2e/*.spec.ts >/dev/null 2>&1; then
  echo "== end-to-end tests (playwright, Debian chromium)"
  npx vite build --logLevel warn || status=1
  npx playwright test || status=1
  echo "== end-to-end in Debian's firefox-esr (streamed export, WebDriver BiDi)"
  SLIDETILE_FF_DIST=dist node e2e-firefox/run.mjs || status=1
fi
exit $status
