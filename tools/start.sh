#!/usr/bin/env bash
# The one command that starts the app (README: `npm start`): installs npm deps if needed, builds the
# app (a few seconds; the engine is prebuilt in wasm/dist) and serves that build — the same one the
# end-to-end tests exercise — at http://127.0.0.1:${PORT:-5173}. `npm run dev` serves the sources instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npx vite build --logLevel warn
exec npx vite preview --host 127.0.0.1 --port "${PORT:-5173}" --strictPort
