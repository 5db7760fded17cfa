#!/usr/bin/env bash
# Builds, once, the Debian sid root that holds native OpenSlide 4.0.1 (libopenslide1 4.0.1 under
# python3-openslide 1.4.6, with numpy and PIL): the second oracle of the parity tests
# (src/engine/testing/oracle41.ts runs tools/oracle/oracle.py in it with chroot). Debian 12 only has
# OpenSlide 3.4.1, and sid's openslide source package is not downloadable here, so the binaries are
# the only 4.0.1 there is. Needs root (debootstrap, chroot) and Debian's archive.
#   tools/oracle/sid-root.sh [ROOT]     (default tools/.cache/sid-root; SLIDETILE_SID_ROOT also sets it)
# A second run is a no-op: ROOT/.slidetile-oracle41 is written last, only when the root is complete.
# The root is built in ROOT.partial and renamed, so an interrupted run never leaves a root that looks
# ready. Every mount (debootstrap's /proc etc.) lives in a private mount namespace (unshare -m), so
# nothing stays mounted on the host whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=${1:-${SLIDETILE_SID_ROOT:-tools/.cache/sid-root}}
ROOT=$(realpath -m "$ROOT")
MIRROR=${SLIDETILE_SID_MIRROR:-http://deb.debian.org/debian}
PACKAGES="python3-openslide python3-numpy python3-pil python3-pyarrow python3-shapely"
# added after roots were first built: installed into a ready root when missing (export format tests)
LATER="python3-pyarrow python3-shapely"
STAMP=$ROOT/.slidetile-oracle41

add_later() {
  local missing=()
  for p in $LATER; do chroot "$ROOT" dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "sid-root: adding ${missing[*]}"
  unshare --mount --propagation private chroot "$ROOT" /bin/sh -c \
    "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null && apt-get clean" ||
    { echo "sid-root: could not install ${missing[*]}" >&2; exit 1; }
}
if [ -f "$STAMP" ]; then
  add_later
  echo "sid-root: ready ($(tr '\n' ' ' < "$STAMP"))"
  exit 0
fi
fail() { echo "sid-root: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap and chroot); run the tests as root, as CI does"
# one build at a time (two test runs starting together): the second waits, then finds the stamp
mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9
if [ -f "$STAMP" ]; then
  echo "sid-root: ready ($(tr '\n' ' ' < "$STAMP"))"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  echo "sid-root: installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
    fail "could not install debootstrap from Debian's archive (is the network to deb.debian.org up?)"
fi

# rm -rf must never walk into a mount (a leaked bind mount of the slides would be deleted with it)
safe_rm() {
  if findmnt -rn -o TARGET | grep -q "^$1\(/\|$\)"; then
    fail "$1 has something mounted inside; unmount it (findmnt | grep $1) and run again"
  fi
  rm -rf "$1"
}

PARTIAL=$ROOT.partial
safe_rm "$PARTIAL"
t0=$(date +%s)
echo "sid-root: debootstrap sid into $PARTIAL (about 2-3 minutes)"
log=$(mktemp)
if ! unshare --mount --propagation private \
    debootstrap --variant=minbase sid "$PARTIAL" "$MIRROR" > "$log" 2>&1; then
  tail -20 "$log" >&2
  fail "debootstrap of Debian sid from $MIRROR failed (log above; is the network to the archive up?)"
fi
# the archive's sid Release file is a dated snapshot: apt would call it expired
echo 'Acquire::Check-Valid-Until "false";' > "$PARTIAL/etc/apt/apt.conf.d/99slidetile-no-valid-until"
cp -L /etc/resolv.conf "$PARTIAL/etc/resolv.conf" 2>/dev/null || true
echo "sid-root: installing $PACKAGES"
if ! unshare --mount --propagation private chroot "$PARTIAL" /bin/sh -c \
    "apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES && apt-get clean" \
    > "$log" 2>&1; then
  tail -20 "$log" >&2
  fail "installing $PACKAGES in the sid root failed (log above; is the network to the archive up?)"
fi
rm -f "$log"
versions=$(chroot "$PARTIAL" /usr/bin/python3 -c \
  'import openslide, numpy, PIL; print("openslide-python", openslide.__version__); print("libopenslide", openslide.__library_version__); print("numpy", numpy.__version__); print("PIL", PIL.__version__)') ||
  fail "python3-openslide does not import in the sid root"
echo "$versions" | grep -q '^libopenslide 4\.' ||
  fail "the sid root has $(echo "$versions" | grep libopenslide), not OpenSlide 4.x"
echo "$versions" > "$PARTIAL/.slidetile-oracle41"
safe_rm "$ROOT"
mv "$PARTIAL" "$ROOT"
echo "sid-root: built in $(( $(date +%s) - t0 )) s: $(tr '\n' ' ' < "$STAMP")"
