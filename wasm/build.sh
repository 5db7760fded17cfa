#!/usr/bin/env bash
# Builds OpenSlide 3.4.1 and every library it needs from Debian 12 source packages with Debian's
# emscripten, into wasm/dist/ (committed). One resumable stage per dependency: a stage whose stamp
# exists is skipped, so a failed build resumes where it stopped. Run as root on Debian 12:
#   npm run build:wasm            # or: bash wasm/build.sh [--clean] [--if-changed]
# --if-changed rebuilds only when the build inputs' hash differs from wasm/dist/manifest.json's.
# SLIDETILE_WASM_WORK and SLIDETILE_WASM_DIST move the build tree and the output elsewhere.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${SLIDETILE_WASM_WORK:-$HERE/build}
SRC=$WORK/src          # fetched .dsc/.orig/.debian files, one folder per package
TREE=$WORK/tree        # unpacked, patched source trees
PREFIX=$WORK/prefix    # wasm32 static libraries, headers, .pc files
STAMPS=$WORK/stamps
DIST=${SLIDETILE_WASM_DIST:-$HERE/dist}   # another folder lets a clean rebuild be compared with the committed one
JOBS=$(nproc)

# --- pinned Debian source packages: name, version, sha256 of the .dsc ----------------------------
# the .dsc lists the checksums of every tarball; dpkg-source verifies them on unpack.
PINS="
zlib          1:1.2.13.dfsg-1            3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8
libpng1.6     1.6.39-2+deb12u5           7b86211030a34deb6b0a2cd7e1d9db0fe92443fd30cab537fb89b1e7f7c9f188
libjpeg-turbo 1:2.1.5-2                  d718ead0dfbcbc8523665c02a7f7152e31039ded641d022868722623bb3b486d
libzstd       1.5.4+dfsg2-5              8f602f92b575aa8b5e979196fb6ee82d78f233521dc9636526d3ecba1f63c1b1
xz-utils      5.4.1-1+deb12u2            bffc9917562b5787661379621bb1f7510bf7271b03d8ce4181cebc84b90d3c35
libwebp       1.2.4-0.2+deb12u1          d9ed0b59e2010f255c28d0869fd15b31f9b08aed757bfc91862d43aa9ec1aa99
libdeflate    1.14-1                     1f82791c5ac5623ed110e09cc991471deebfe4c419414392d1242e122c6f4c19
jbigkit       2.1-6.1                    8dea586c47cb4b2436f77fd33ef4a702b9da936d74de8332a72a8ddbe8124e09
lerc          4.0.0+ds-2                 61c32adc1590f930af4b94b151e6a0a8569ace7d7a4f1961eb049f209b47a417
tiff          4.5.0-6+deb12u4            b32082304d725936078d687303fcf771c9ecf738b505f9a66a29e8ba282c8615
openjpeg2     2.5.0-2+deb12u3            f570a7c10d36f2d5b2553941e7821ed88d1cf7a93f9c49e7f6099e53f4491f47
pcre2         10.42-1                    726dafe7a8d07332d4df61edf23f384ddb158b2b263846273d1103b6b9a7c176
glib2.0       2.74.6-2+deb12u9           bd8e8cd8d251c2365a02258bf4d6c44721289ac44c3a2477c140ce253bdb4b41
libxml2       2.9.14+dfsg-1.3~deb12u6    d86ce3efb1b75d2781f72f5cdd187474c148a915d610295c85162681bb070a65
sqlite3       3.40.1-2+deb12u2           ee3459ae9d00939741c7708fc1b8ce1bde12d8c3fb1dfa005bbbc8651d884e23
pixman        0.42.2-1                   393302f5ba22d1206c456902baa02cdd577cb74fe35ec6659f587cce67b91b3d
cairo         1.16.0-7                   96b21b7b9c9ab4ae689b1191830b53d0b3c38e5664105c36a3c39dee6bcf29a4
openslide     3.4.1+dfsg-6+deb12u1       7894705709a2f881c57ed4a7b3a61597c06856be66d18b348e897801b14baba0
"

# --- compiler flags (part of the build-input hash) -------------------------------------------------
# -O3 and wasm SIMD for the codecs' hot loops; libjpeg-turbo's decoder also gets hand-written SIMD128
# kernels (its own SIMD is x86/arm only): see build_libjpeg and patches/libjpeg-turbo-01-*.
# file-prefix-map keeps absolute build paths out of the output, so any checkout builds the same bytes.
OPT_CFLAGS="-O3 -msimd128"
BASE_CFLAGS="$OPT_CFLAGS -ffile-prefix-map=$WORK=/slidetile"

usage() { sed -n 2,7p "$0"; }
CLEAN=0; IF_CHANGED=0
for a in "$@"; do
  case $a in
    --clean) CLEAN=1 ;;
    --if-changed) IF_CHANGED=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $a" >&2; usage; exit 1 ;;
  esac
done

# the hash of everything that decides the output: this script, patches, shim, export list.
inputs_hash() {
  (cd "$HERE" && find build.sh patches shim exports.json -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -d' ' -f1
}

if [ $IF_CHANGED = 1 ] && [ -f "$DIST/manifest.json" ] &&
   grep -q "\"inputsHash\": \"$(inputs_hash)\"" "$DIST/manifest.json"; then
  echo "wasm/dist is up to date with the build inputs; nothing to do."
  exit 0
fi
[ $CLEAN = 1 ] && rm -rf "$TREE" "$PREFIX" "$STAMPS"
mkdir -p "$SRC" "$TREE" "$PREFIX/lib/pkgconfig" "$PREFIX/include" "$STAMPS" "$DIST"

log() { printf '\n=== %s\n' "$*"; }
done_stage() { touch "$STAMPS/$1"; }
have_stage() { [ -f "$STAMPS/$1" ]; }

# --- stage 0: toolchain ----------------------------------------------------------------------------
setup_toolchain() {
  local need=()
  for c in emcc:emscripten dpkg-source:dpkg-dev meson:meson ninja:ninja-build cmake:cmake \
           autoreconf:autoconf automake:automake libtoolize:libtool pkg-config:pkg-config \
           tclsh:tcl make:make gcc:gcc; do
    command -v "${c%%:*}" >/dev/null || need+=("${c#*:}")
  done
  # deb-src lines for bookworm (pinned versions come from there)
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    cat > /etc/apt/sources.list.d/slidetile-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    need+=(__update)
  fi
  if [ ${#need[@]} -gt 0 ]; then
    log "installing toolchain: ${need[*]}"
    apt-get update -qq
    local pkgs=("${need[@]/__update/}")
    [ -n "${pkgs[*]// /}" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs[*]}
  fi
  # emcc 3.1.6 loads acorn etc. from Debian's node modules
  export NODE_PATH=/usr/share/nodejs
  # emconfigure/emmake overwrite PKG_CONFIG_LIBDIR; this one they keep
  export EM_PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
  export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
  export PKG_CONFIG_LIBDIR=$PREFIX/lib/pkgconfig
  export CFLAGS="$BASE_CFLAGS -I$PREFIX/include"
  export CXXFLAGS="$BASE_CFLAGS -I$PREFIX/include"
  export CPPFLAGS="-I$PREFIX/include"
  export LDFLAGS="-L$PREFIX/lib"
  EMCC_VERSION=$(emcc --version | sed -n 1p)  # sed reads it all: head would break the pipe
}

# --- fetching and unpacking ------------------------------------------------------------------------
pin() { echo "$PINS" | awk -v p="$1" '$1 == p { print $'"$2"' }'; }

# fetch PKG: download the pinned source package, verify its .dsc, unpack it (applying Debian's
# patches) into $TREE/PKG. Sets $S to the tree.
fetch() {
  local pkg=$1 ver sha dsc
  ver=$(pin "$pkg" 2); sha=$(pin "$pkg" 3)
  dsc="${pkg}_${ver#*:}.dsc"
  mkdir -p "$SRC/$pkg"
  if [ ! -f "$SRC/$pkg/$dsc" ]; then
    (cd "$SRC/$pkg" && apt-get source -qq --download-only "$pkg=$ver" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  fi
  echo "$sha  $SRC/$pkg/$dsc" | sha256sum -c --quiet - || { echo "checksum mismatch: $dsc" >&2; exit 1; }
  S=$TREE/$pkg
  rm -rf "$S"
  if ! dpkg-source -q -x "$SRC/$pkg/$dsc" "$S" >/dev/null 2>&1; then
    # pixman 0.42.2-1's .diff.gz is gone from the archive: unpack the .orig verified against the .dsc
    unpack_orig_only "$pkg" "$dsc"
  fi
}

unpack_orig_only() {
  local pkg=$1 dsc=$2 orig
  orig=$(awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f && /orig/{print $1, $3}' "$SRC/$pkg/$dsc" | head -1)
  [ -f "$SRC/$pkg/${orig#* }" ] || (cd "$SRC/$pkg" && apt-get source -qq --download-only --tar-only "$pkg=$(pin "$pkg" 2)" 2>/dev/null || true)
  echo "${orig%% *}  $SRC/$pkg/${orig#* }" | sha256sum -c --quiet -
  mkdir -p "$S" && tar -xf "$SRC/$pkg/${orig#* }" -C "$S" --strip-components=1
  echo "note: $pkg unpacked from its .orig tarball only (Debian's diff is not in the archive)"
}

apply_patches() {
  local pkg=$1 p
  for p in "$HERE"/patches/"$pkg"-*.patch; do
    [ -f "$p" ] || continue
    echo "patch: $(basename "$p"): $(sed -n 's/^Reason: //p' "$p" | head -1)"
    patch -s -d "$S" -p1 < "$p"
  done
}

# old config.sub files do not know emscripten
fresh_config_sub() { find "$S" -name config.sub -exec cp /usr/share/misc/config.sub {} \; ;
                     find "$S" -name config.guess -exec cp /usr/share/misc/config.guess {} \; ; }

# Debian patches to configure.ac/Makefile.am would make make rerun automake (another version):
# mark the shipped generated files newer, in dependency order
touch_generated() {
  (cd "$S" && find . -name aclocal.m4 -exec touch {} + && sleep 1 &&
    find . \( -name configure -o -name config.h.in \) -exec touch {} + && sleep 1 &&
    find . -name Makefile.in -exec touch {} +)
}

em_autotools() {  # configure + make install for a static wasm32 library
  fresh_config_sub
  touch_generated
  (cd "$S" && emconfigure ./configure --host=wasm32-unknown-emscripten --prefix="$PREFIX" \
      --disable-shared --enable-static "$@" > "$WORK/log-$(basename "$S")-configure.txt" 2>&1) ||
    { tail -40 "$WORK/log-$(basename "$S")-configure.txt"; exit 1; }
}

em_cmake() {  # args: source dir, then cmake -D options
  local src=$1; shift
  rm -rf "$S/_wasm" && mkdir -p "$S/_wasm"
  (cd "$S/_wasm" && emcmake cmake "$src" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_FLAGS_RELEASE="" -DCMAKE_CXX_FLAGS_RELEASE="" \
      -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_PREFIX_PATH="$PREFIX" -DBUILD_SHARED_LIBS=OFF \
      -DCMAKE_FIND_ROOT_PATH="$PREFIX" "$@" \
      > "$WORK/log-$(basename "$S")-cmake.txt" 2>&1) ||
    { tail -40 "$WORK/log-$(basename "$S")-cmake.txt"; exit 1; }
}

write_pc() {  # name version cflags libs
  cat > "$PREFIX/lib/pkgconfig/$1.pc" <<EOF
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: $1
Description: $1 (wasm32, static)
Version: $2
Cflags: -I\${includedir} $3
Libs: -L\${libdir} $4
EOF
}

# --- one stage per dependency ----------------------------------------------------------------------
build_zlib() {
  fetch zlib; apply_patches zlib
  (cd "$S" && CHOST= emconfigure ./configure --static --prefix="$PREFIX" >/dev/null && emmake make -j"$JOBS" libz.a >/dev/null && emmake make install >/dev/null)
}

build_libpng() {
  fetch libpng1.6; apply_patches libpng1.6
  em_autotools --disable-hardware-optimizations --disable-tools --disable-tests
  (cd "$S" && emmake make -j"$JOBS" libpng16.la >/dev/null && emmake make install-libLTLIBRARIES install-pkgincludeHEADERS install-nodist_pkgincludeHEADERS install-pkgconfigDATA install-data-local install-exec-hook >/dev/null 2>&1 || emmake make install >/dev/null)
}

build_libjpeg() {
  fetch libjpeg-turbo; apply_patches libjpeg-turbo
  # check_type_size(size_t) is wrong under emcmake 3.1.6: preseed it. Its own SIMD (WITH_SIMD) is
  # x86/arm asm; WITH_WASM_SIMD (our patch) puts WebAssembly SIMD128 kernels behind its jsimd_*
  # dispatch for the decoder's islow IDCT, YCbCr->RGB and h2v1/h2v2 fancy upsampling, bit-identical
  # to the C code (tools/jpeg-simd/run.sh compares them)
  em_cmake .. -DWITH_SIMD=OFF -DWITH_WASM_SIMD=ON -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=OFF \
    -DSIZE_T=4 -DHAVE_SIZE_T=1 -DCMAKE_INSTALL_LIBDIR=lib
  grep -q "WebAssembly SIMD128 decoder kernels" "$WORK/log-libjpeg-turbo-cmake.txt" ||
    { echo "libjpeg-turbo: the wasm SIMD128 kernels are not enabled" >&2; exit 1; }
  (cd "$S/_wasm" && ninja jpeg-static >/dev/null)
  # its install rule wants the command-line tools' .js files, which we do not build
  cp "$S/_wasm/libjpeg.a" "$PREFIX/lib/"
  cp "$S/jpeglib.h" "$S/jmorecfg.h" "$S/jerror.h" "$S/_wasm/jconfig.h" "$PREFIX/include/"
  write_pc libjpeg 2.1.5 "" "-ljpeg"
}

build_zstd() {
  fetch libzstd; apply_patches libzstd
  em_cmake ../build/cmake -DZSTD_BUILD_SHARED=OFF -DZSTD_BUILD_STATIC=ON -DZSTD_BUILD_PROGRAMS=OFF \
    -DZSTD_BUILD_TESTS=OFF -DZSTD_MULTITHREAD_SUPPORT=OFF -DZSTD_LEGACY_SUPPORT=OFF -DCMAKE_INSTALL_LIBDIR=lib
  (cd "$S/_wasm" && ninja install >/dev/null)
}

build_lzma() {
  fetch xz-utils; apply_patches xz-utils
  em_autotools --disable-threads --disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo \
    --disable-lzma-links --disable-scripts --disable-doc --disable-nls --disable-assembler
  (cd "$S/src/liblzma" && emmake make -j"$JOBS" >/dev/null && emmake make install >/dev/null)
}

build_webp() {
  fetch libwebp; apply_patches libwebp
  em_cmake .. -DWEBP_BUILD_ANIM_UTILS=OFF -DWEBP_BUILD_CWEBP=OFF -DWEBP_BUILD_DWEBP=OFF \
    -DWEBP_BUILD_GIF2WEBP=OFF -DWEBP_BUILD_IMG2WEBP=OFF -DWEBP_BUILD_VWEBP=OFF -DWEBP_BUILD_WEBPINFO=OFF \
    -DWEBP_BUILD_WEBPMUX=OFF -DWEBP_BUILD_EXTRAS=OFF -DWEBP_USE_THREAD=OFF -DCMAKE_INSTALL_LIBDIR=lib
  (cd "$S/_wasm" && ninja install >/dev/null)
}

build_deflate() {
  fetch libdeflate; apply_patches libdeflate
  (cd "$S" && emmake make -j"$JOBS" CC=emcc AR=emar libdeflate.a >/dev/null)
  cp "$S/libdeflate.a" "$PREFIX/lib/"; cp "$S/libdeflate.h" "$PREFIX/include/"
  write_pc libdeflate 1.14 "" "-ldeflate"
}

build_jbig() {
  fetch jbigkit; apply_patches jbigkit
  (cd "$S/libjbig" && emcc $CFLAGS -c jbig.c jbig_ar.c && emar rcs libjbig.a jbig.o jbig_ar.o)
  cp "$S/libjbig/libjbig.a" "$PREFIX/lib/"; cp "$S/libjbig/jbig.h" "$S/libjbig/jbig_ar.h" "$PREFIX/include/"
}

build_lerc() {
  fetch lerc; apply_patches lerc
  em_cmake .. -DCMAKE_INSTALL_LIBDIR=lib
  (cd "$S/_wasm" && ninja install >/dev/null)
}

build_tiff() {
  fetch tiff; apply_patches tiff
  # every codec Debian's native libtiff has, so TIFFs it reads we read too (the build fails otherwise)
  em_cmake .. -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dcxx=OFF \
    -Djpeg=ON -Dold-jpeg=ON -Dzlib=ON -Dpixarlog=ON -Dlibdeflate=ON -Djbig=ON -Dlerc=ON -Dlzma=ON \
    -Dzstd=ON -Dwebp=ON -Djpeg12=OFF -DCMAKE_INSTALL_LIBDIR=lib \
    -DSIZEOF_SIZE_T=4 -DHAVE_SIZEOF_SIZE_T=TRUE \
    -DJPEG_INCLUDE_DIR="$PREFIX/include" -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" \
    -DDeflate_INCLUDE_DIR="$PREFIX/include" -DDeflate_LIBRARY="$PREFIX/lib/libdeflate.a" \
    -DJBIG_INCLUDE_DIR="$PREFIX/include" -DJBIG_LIBRARY="$PREFIX/lib/libjbig.a" \
    -DZLIB_INCLUDE_DIR="$PREFIX/include" -DZLIB_LIBRARY="$PREFIX/lib/libz.a"
  grep -E "Requested:ON .*Support:" "$WORK/log-tiff-cmake.txt"
  if grep -qE "Requested:ON .*Support:FALSE" "$WORK/log-tiff-cmake.txt"; then
    echo "libtiff is missing a codec native libtiff has" >&2; exit 1
  fi
  (cd "$S/_wasm" && ninja install >/dev/null)
}

build_openjpeg() {
  fetch openjpeg2; apply_patches openjpeg2
  em_cmake .. -DBUILD_CODEC=OFF -DBUILD_THIRDPARTY=OFF -DOPJ_USE_THREAD=OFF -DBUILD_PKGCONFIG_FILES=ON \
    -DBUILD_TESTING=OFF -DCMAKE_INSTALL_LIBDIR=lib
  (cd "$S/_wasm" && ninja install >/dev/null)
}

build_pcre2() {
  fetch pcre2; apply_patches pcre2
  em_autotools --disable-jit --enable-pcre2-8 --disable-pcre2-16 --disable-pcre2-32 \
    --disable-pcre2grep-libz --disable-pcre2grep-libbz2 --disable-pcre2test-libreadline
  (cd "$S" && emmake make -j"$JOBS" libpcre2-8.la >/dev/null &&
    emmake make install-libLTLIBRARIES install-includeHEADERS install-nodist_includeHEADERS install-pkgconfigDATA >/dev/null)
}

build_glib() {
  fetch glib2.0; apply_patches glib2.0
  cat > "$WORK/emscripten.cross" <<EOF
[binaries]
c = 'emcc'
cpp = 'em++'
ar = 'emar'
ranlib = 'emranlib'
pkgconfig = 'pkg-config'

[built-in options]
c_args = [$(printf "'%s', " $BASE_CFLAGS -I$PREFIX/include) '-D__GCC_HAVE_SYNC_COMPARE_AND_SWAP_4=1']
c_link_args = ['-L$PREFIX/lib']

[properties]
pkg_config_libdir = ['$PREFIX/lib/pkgconfig']
# run-time checks meson cannot run when cross compiling: the answers for emscripten's musl
have_c99_vsnprintf = true
have_c99_snprintf = true
have_unix98_printf = true
growing_stack = false
va_val_copy = true
needs_exe_wrapper = true

[host_machine]
system = 'emscripten'
cpu_family = 'wasm32'
cpu = 'wasm32'
endian = 'little'
EOF
  # glib bakes its prefix into the library (locale and charset.alias paths, unused here): a fixed one
  # keeps the build tree's location out of the output (the headers and archives are copied by hand)
  (cd "$S" && meson setup _wasm --cross-file "$WORK/emscripten.cross" --prefix=/slidetile/prefix --libdir=lib \
      --default-library=static --buildtype=plain --wrap-mode=nodownload -Dselinux=disabled -Dxattr=false -Dlibmount=disabled \
      -Dtests=false -Dnls=disabled -Dlibelf=disabled -Ddtrace=false -Dsystemtap=false -Dsysprof=disabled \
      -Dman=false -Dgtk_doc=false -Dglib_debug=disabled -Dglib_assert=true -Dglib_checks=true \
      > "$WORK/log-glib-meson.txt" 2>&1) || { tail -40 "$WORK/log-glib-meson.txt"; exit 1; }
  # probed as present, missing at link time under emscripten
  sed -i -e 's/^#define HAVE_POSIX_SPAWN 1/#undef HAVE_POSIX_SPAWN/' \
         -e 's/^#define HAVE_PTHREAD_ATTR_SETINHERITSCHED 1/#undef HAVE_PTHREAD_ATTR_SETINHERITSCHED/' "$S/_wasm/config.h"
  (cd "$S/_wasm" && ninja glib/libglib-2.0.a gthread/libgthread-2.0.a >/dev/null)
  # install by hand: only glib and gthread are built (OpenSlide needs nothing else)
  mkdir -p "$PREFIX/include/glib-2.0" "$PREFIX/lib/glib-2.0/include"
  cp "$S/_wasm/glib/libglib-2.0.a" "$S/_wasm/gthread/libgthread-2.0.a" "$PREFIX/lib/"
  cp "$S/glib/glib.h" "$PREFIX/include/glib-2.0/"
  (cd "$S" && find glib -name '*.h' -not -path '*/tests/*' -not -path '*/gnulib/*' -not -path '*/libcharset/*' -not -path '*/pcre/*' \
      | while read -r h; do mkdir -p "$PREFIX/include/glib-2.0/$(dirname "$h")"; cp "$h" "$PREFIX/include/glib-2.0/$h"; done)
  cp "$S/_wasm/glib/glibconfig.h" "$PREFIX/lib/glib-2.0/include/"
  find "$S/_wasm/glib" -maxdepth 1 -name '*.h' -not -name glibconfig.h -exec cp {} "$PREFIX/include/glib-2.0/glib/" \;
  write_pc glib-2.0 2.74.6 "-I\${includedir}/glib-2.0 -I\${libdir}/glib-2.0/include" "-lglib-2.0 -lpcre2-8"
  write_pc gthread-2.0 2.74.6 "-I\${includedir}/glib-2.0 -I\${libdir}/glib-2.0/include" "-lgthread-2.0 -lglib-2.0 -lpcre2-8"
}

build_libxml2() {
  fetch libxml2; apply_patches libxml2
  em_autotools --disable-maintainer-mode --without-threads --without-python --without-http --without-ftp \
    --without-modules --without-lzma --without-zlib --without-iconv --without-icu --without-debug \
    --without-catalog --without-legacy --without-readline --without-history
  (cd "$S" && emmake make -j"$JOBS" libxml2.la >/dev/null &&
    emmake make install-libLTLIBRARIES install-pkgconfigDATA >/dev/null && emmake make -C include install >/dev/null)
}

build_sqlite() {
  fetch sqlite3; apply_patches sqlite3
  # the amalgamation is generated by native tools (tcl), then compiled once for wasm32
  (cd "$S" && mkdir -p _native && cd _native && CC=gcc CFLAGS=-O1 ../configure --disable-shared >/dev/null 2>&1 &&
    make sqlite3.c >/dev/null 2>&1)
  (cd "$S/_native" && emcc $CFLAGS -c sqlite3.c -o sqlite3.o -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
      -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_OMIT_DEPRECATED -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_DQS=0 &&
    emar rcs libsqlite3.a sqlite3.o)
  cp "$S/_native/libsqlite3.a" "$PREFIX/lib/"; cp "$S/_native/sqlite3.h" "$PREFIX/include/"
  write_pc sqlite3 3.40.1 "" "-lsqlite3"
}

build_pixman() {
  fetch pixman; apply_patches pixman
  em_autotools --disable-openmp --disable-loongson-mmi --disable-mmx --disable-sse2 --disable-ssse3 \
    --disable-vmx --disable-arm-simd --disable-arm-neon --disable-arm-a64-neon --disable-arm-iwmmxt \
    --disable-mips-dspr2 --disable-gcc-inline-asm --disable-gtk --disable-libpng
  (cd "$S/pixman" && emmake make -j"$JOBS" >/dev/null && emmake make install >/dev/null)
  (cd "$S" && emmake make install-pkgconfigDATA >/dev/null)
}

build_cairo() {
  fetch cairo; apply_patches cairo
  # image surfaces only; no threads (emscripten without pthreads), no fonts
  ax_cv_c_float_words_bigendian=no CFLAGS="$CFLAGS -DCAIRO_NO_MUTEX=1" em_autotools \
    --disable-xlib --disable-xcb --disable-quartz --disable-win32 --disable-ft --disable-fc --disable-ps \
    --disable-pdf --disable-svg --disable-script --disable-interpreter --disable-gobject --disable-trace \
    --disable-symbol-lookup --disable-full-testing --enable-png --disable-pthread --disable-valgrind \
    --disable-egl --disable-glx --disable-wgl --disable-gl --disable-glesv2 --disable-glesv3 \
    --disable-directfb --disable-drm --disable-tee --disable-xml --disable-os2 --disable-beos \
    --disable-cogl --disable-qt --disable-vg --disable-gtk-doc
  (cd "$S/src" && emmake make -j"$JOBS" libcairo.la >/dev/null &&
    emmake make install-libLTLIBRARIES install-cairoincludeHEADERS install-nodist_cairoincludeHEADERS install-pkgconfigDATA >/dev/null)
}

build_openslide() {
  fetch openslide; apply_patches openslide
  # configure asks for gio/gobject/gdk-pixbuf, which the patches make unnecessary: hand it the flags
  GLIB2_CFLAGS="$(pkg-config --cflags glib-2.0 gthread-2.0)" GLIB2_LIBS="$(pkg-config --libs glib-2.0 gthread-2.0)" \
  GDKPIXBUF_CFLAGS=" " GDKPIXBUF_LIBS=" " \
  em_autotools --disable-maintainer-mode
  (cd "$S" && emmake make -j"$JOBS" src/libopenslide.la >/dev/null &&
    emmake make install-libLTLIBRARIES install-pkgincludeHEADERS >/dev/null)
}

link_module() {
  log "linking the module"
  local libs
  libs="-lopenslide $(pkg-config --libs --static zlib libopenjp2 glib-2.0 gthread-2.0 cairo libpng libxml-2.0 sqlite3) \
        -ltiff -lwebp -lLerc -ljbig -ldeflate -lzstd -llzma -ljpeg -lpixman-1"
  local exports runtime
  exports=$(node -e "console.log(JSON.stringify(require('$HERE/exports.json').functions))")
  runtime=$(node -e "console.log(JSON.stringify(require('$HERE/exports.json').runtime))")
  mkdir -p "$WORK/out"
  # flags, one reason each:
  #  MODULARIZE/EXPORT_ES6: one independent instance per worker, imported as an ES module
  #  ALLOW_MEMORY_GROWTH, MAXIMUM_MEMORY=4GB: big regions grow the heap; 32-bit wasm caps at 4 GB
  #  FORCE_FILESYSTEM + workerfs + nodefs: lazy File reads in workers, real files in Node
  #  WASM_BIGINT: int64_t (file offsets, coordinates) crosses to JS as BigInt, not split pairs
  #  ENVIRONMENT=web,worker,node: the same module serves the browser workers and the CLI
  #  NODEJS_CATCH_*=0: the CLI keeps its own error handling and exit codes
  #  ABORTING_MALLOC=0: a failed malloc returns NULL (OpenSlide reports it) instead of aborting
  #  static archives: order matters (dependents first)
  # the shim is C (it encodes PNG and JPEG tiles with the linked libpng and libjpeg); em++ links
  # because LERC is C++
  emcc $BASE_CFLAGS -ffile-prefix-map="$HERE=/slidetile" -I"$PREFIX/include/openslide" $(pkg-config --cflags libpng libjpeg) \
    -c "$HERE/shim/slidetile_shim.c" -o "$WORK/out/slidetile_shim.o"
  em++ $OPT_CFLAGS -o "$WORK/out/slidetile-engine.mjs" "$WORK/out/slidetile_shim.o" -L"$PREFIX/lib" $libs \
    -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createSlidetileEngine \
    -sENVIRONMENT=web,worker,node \
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=32MB -sMAXIMUM_MEMORY=4GB \
    -sFORCE_FILESYSTEM=1 -lworkerfs.js -lnodefs.js \
    -sWASM_BIGINT=1 -sEXPORTED_FUNCTIONS="$exports" -sEXPORTED_RUNTIME_METHODS="$runtime" \
    -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
    -sASSERTIONS=0 -sABORTING_MALLOC=0 \
    -ffile-prefix-map="$WORK=/slidetile" -ffile-prefix-map="$HERE=/slidetile"
}

write_manifest() {
  log "writing $DIST/manifest.json"
  cp "$WORK/out/slidetile-engine.mjs" "$WORK/out/slidetile-engine.wasm" "$DIST/"
  local files f
  files=$(for f in slidetile-engine.mjs slidetile-engine.wasm; do
    printf '    "%s": { "sha256": "%s", "bytes": %s, "gzipBytes": %s },\n' "$f" \
      "$(sha256sum "$DIST/$f" | cut -d' ' -f1)" "$(stat -c %s "$DIST/$f")" "$(gzip -9 -n -c "$DIST/$f" | wc -c)"
  done | sed '$ s/,$//')
  local sources
  sources=$(echo "$PINS" | awk 'NF==3 { printf "    \"%s\": { \"version\": \"%s\", \"dscSha256\": \"%s\" },\n", $1, $2, $3 }' | sed '$ s/,$//')
  cat > "$DIST/manifest.json" <<EOF
{
  "engine": "OpenSlide 3.4.1 (Debian openslide $(pin openslide 2)) compiled to WebAssembly",
  "inputsHash": "$(inputs_hash)",
  "emcc": "$EMCC_VERSION",
  "cflags": "$OPT_CFLAGS",
  "libjpegSimd": "WebAssembly SIMD128 decoder kernels: islow IDCT, YCbCr->RGB, h2v1/h2v2 fancy upsampling (patches/libjpeg-turbo-01-wasm-simd128.patch)",
  "debianSources": {
$sources
  },
  "files": {
$files
  }
}
EOF
  cat "$DIST/manifest.json"
}

# --- run -------------------------------------------------------------------------------------------
setup_toolchain
for stage in zlib libpng libjpeg zstd lzma webp deflate jbig lerc tiff openjpeg pcre2 glib libxml2 sqlite pixman cairo openslide; do
  if have_stage "$stage"; then continue; fi
  log "stage $stage"
  t0=$(date +%s)
  "build_$stage"
  done_stage "$stage"
  echo "stage $stage done in $(( $(date +%s) - t0 )) s"
done
link_module
write_manifest
