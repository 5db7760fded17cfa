#!/usr/bin/env bash
# Bit-identity check and per-kernel timing of the engine's libjpeg-turbo SIMD128 kernels
# (wasm/patches/libjpeg-turbo-01-wasm-simd128.patch). Needs emcc (Debian's emscripten, as wasm/build.sh
# installs it), Debian's cjpeg and native libjpeg (libjpeg-turbo-progs, libjpeg-dev) and /usr/bin/python3
# with openslide; run as root on the build machine (apt-get source). Not part of `npm test` (it needs
# emcc): there, src/engine/parity*.test.ts compare the built engine's JPEG slides with native OpenSlide.
#   bash tools/jpeg-simd/run.sh [--bench-repeat N]
# Builds, in tools/.cache/jpeg-simd/:
#   Debian's libjpeg-turbo 2.1.5 unchanged (WITH_SIMD=OFF: the C code the engine had), and patched
#   (WITH_WASM_SIMD=ON, as wasm/build.sh builds it), both with the engine's flags; decode.c linked to
#   each (Node, NODERAWFS) and to the native library (x86 SIMD); the corpus (make_corpus.py).
# Then: every decode (corpus x scale 1/1..1/8 x BGRA/RGB) hashed by all three must agree; the patched
# build compares every output byte of each kernel alone and all together against its C paths; timing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=$REPO/tools/.cache/jpeg-simd
REPEAT=5
[ "${1:-}" = --bench-repeat ] && REPEAT=$2
export NODE_PATH=/usr/share/nodejs
# emcc runs under the first python3 on PATH; Debian's is the one it is packaged for
export EMSDK_PYTHON=/usr/bin/python3
mkdir -p "$CACHE"

# the pinned source, as wasm/build.sh pins it
pin=$(awk '$1 == "libjpeg-turbo" { print $2, $3 }' "$REPO/wasm/build.sh")
ver=${pin% *}; sha=${pin#* }
dsc="libjpeg-turbo_${ver#*:}.dsc"
if [ ! -f "$CACHE/src/$dsc" ]; then
  mkdir -p "$CACHE/src"
  (cd "$CACHE/src" && apt-get source -qq --download-only "libjpeg-turbo=$ver" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
fi
echo "$sha  $CACHE/src/$dsc" | sha256sum -c --quiet -
for t in debian patched; do
  rm -rf "$CACHE/$t"
  dpkg-source -q -x "$CACHE/src/$dsc" "$CACHE/$t" >/dev/null 2>&1
done
patch -s -d "$CACHE/patched" -p1 < "$REPO/wasm/patches/libjpeg-turbo-01-wasm-simd128.patch"

OPT=$(sed -n 's/^OPT_CFLAGS="\(.*\)"$/\1/p' "$REPO/wasm/build.sh")
build_lib() {  # tree, WITH_WASM_SIMD
  rm -rf "$CACHE/$1/_wasm" && mkdir -p "$CACHE/$1/_wasm"
  (cd "$CACHE/$1/_wasm" && emcmake cmake .. -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="" \
      -DCMAKE_C_FLAGS="$OPT" -DWITH_SIMD=OFF -DWITH_WASM_SIMD="$2" -DENABLE_SHARED=OFF -DENABLE_STATIC=ON \
      -DWITH_TURBOJPEG=OFF -DSIZE_T=4 -DHAVE_SIZE_T=1 > cmake.log 2>&1 && ninja jpeg-static > ninja.log 2>&1) ||
    { tail -30 "$CACHE/$1/_wasm/"*.log; exit 1; }
}
echo "== building libjpeg-turbo: Debian's C code, and patched with the SIMD128 kernels ($OPT)"
build_lib debian OFF
build_lib patched ON
grep -q "WebAssembly SIMD128 decoder kernels" "$CACHE/patched/_wasm/cmake.log"
link() {  # tree, output, extra flags
  emcc $OPT -I"$CACHE/$1" -I"$CACHE/$1/_wasm" $3 "$HERE/decode.c" "$CACHE/$1/_wasm/libjpeg.a" -o "$2" \
    -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node
}
link debian "$CACHE/decode-c.js" ""
link patched "$CACHE/decode-simd.js" "-DWASM_KERNELS"
gcc -O2 -o "$CACHE/decode-native" "$HERE/decode.c" -ljpeg

echo "== corpus"
/usr/bin/python3 "$HERE/make_corpus.py" "$CACHE/corpus"
LIST=$CACHE/corpus/list.tsv

echo "== every decode hashed: wasm C code, wasm SIMD128, native (x86 SIMD)"
node --no-experimental-fetch "$CACHE/decode-c.js" hash "$LIST" > "$CACHE/hash-c.txt"
node --no-experimental-fetch "$CACHE/decode-simd.js" hash "$LIST" > "$CACHE/hash-simd.txt"
"$CACHE/decode-native" hash "$LIST" > "$CACHE/hash-native.txt"
echo "decodes: $(wc -l < "$CACHE/hash-c.txt"), ending in a libjpeg error: $(grep -c ' error: ' "$CACHE/hash-c.txt" || true)"
status=0
if cmp -s "$CACHE/hash-c.txt" "$CACHE/hash-simd.txt"; then echo "wasm SIMD128 = wasm C: identical"
else echo "wasm SIMD128 differs from wasm C:"; diff "$CACHE/hash-c.txt" "$CACHE/hash-simd.txt" | head -20; status=1; fi
# native libjpeg-turbo's x86 SIMD matches the C code for what the parity suite reads; where it
# does not (damaged data), that is native's own difference, reported but not a failure here
nd=$(diff "$CACHE/hash-c.txt" "$CACHE/hash-native.txt" | grep -c '^<' || true)
echo "native (x86 SIMD) differs from the C code in $nd decodes$( [ "$nd" -gt 0 ] && echo ":" )"
diff "$CACHE/hash-c.txt" "$CACHE/hash-native.txt" | grep '^<' | awk '{print "  ", $5, $6, $7}' | head -10

echo "== byte comparison, kernel by kernel, in the patched build"
node --no-experimental-fetch "$CACHE/decode-simd.js" check "$LIST" | tail -20 || status=1

echo "== timing (BGRA, full scale, whole corpus, CPU time; Node $(node --version))"
node --no-experimental-fetch "$CACHE/decode-simd.js" bench "$LIST" "$REPEAT"
exit $status
