// The thin C layer between OpenSlide and the TypeScript binding: pixel-format conversions done where
// the pixels are, so JavaScript never loops over premultiplied ARGB. Everything else the binding
// calls is OpenSlide's own C API (see exports.json).
#include <stdint.h>
#include <emscripten.h>
#include "openslide.h"

// OpenSlide's premultiplied native-endian ARGB -> straight RGBA bytes, in place, with exactly the
// integer arithmetic of openslide-python's _convert.argb2rgba (so bytes equal read_region's).
static void argb_to_rgba(uint32_t *buf, int64_t len) {
  for (int64_t i = 0; i < len; i++) {
    uint32_t val = buf[i];
    uint8_t a = val >> 24;
    if (a == 255) {
      val = (val & 0xff000000) | (val & 0xff) << 16 | (val & 0xff00) | (val >> 16 & 0xff);
    } else if (a != 0) {
      uint8_t r = 255 * ((val >> 16) & 0xff) / a;
      uint8_t g = 255 * ((val >> 8) & 0xff) / a;
      uint8_t b = 255 * (val & 0xff) / a;
      val = (uint32_t) a << 24 | (uint32_t) b << 16 | (uint32_t) g << 8 | r;
    }
    // a == 0: left as is, like openslide-python (premultiplied, so it is all zero)
    buf[i] = val;
  }
}

// PIL's Image.alpha_composite of straight RGBA over an opaque background, then RGB: the integer
// arithmetic of Pillow's AlphaComposite.c with an opaque destination.
#define PRECISION_BITS 7
#define SHIFTFORDIV255(a) ((((a) >> 8) + (a)) >> 8)
static void rgba_over_background_to_rgb(uint8_t *buf, int64_t len, uint8_t bg) {
  for (int64_t i = 0; i < len; i++) {
    const uint8_t *s = buf + 4 * i;
    uint8_t *o = buf + 3 * i;  // packs forward: 3i <= 4i, never overwrites unread input
    uint32_t a = s[3];
    uint8_t r, g, b;
    if (a == 0) {
      r = g = b = bg;
    } else {
      uint32_t outa255 = a * 255 + 255 * (255 - a);
      uint32_t coef1 = a * 255 * 255 * (1 << PRECISION_BITS) / outa255;
      uint32_t coef2 = 255 * (1 << PRECISION_BITS) - coef1;
      r = SHIFTFORDIV255(s[0] * coef1 + bg * coef2 + (0x80 << PRECISION_BITS)) >> PRECISION_BITS;
      g = SHIFTFORDIV255(s[1] * coef1 + bg * coef2 + (0x80 << PRECISION_BITS)) >> PRECISION_BITS;
      b = SHIFTFORDIV255(s[2] * coef1 + bg * coef2 + (0x80 << PRECISION_BITS)) >> PRECISION_BITS;
    }
    o[0] = r; o[1] = g; o[2] = b;
  }
}

// openslide_read_region into `dest` (w*h*4 bytes), as straight RGBA. Errors: check openslide_get_error.
EMSCRIPTEN_KEEPALIVE
void st_read_region_rgba(openslide_t *osr, uint8_t *dest, int64_t x, int64_t y, int32_t level,
                         int64_t w, int64_t h) {
  openslide_read_region(osr, (uint32_t *) dest, x, y, level, w, h);
  if (!openslide_get_error(osr)) {
    argb_to_rgba((uint32_t *) dest, w * h);
  }
}

// ratiopath's read_tile: the region as straight RGBA, composited onto `background`, packed RGB in
// the first w*h*3 bytes of `dest` (which must hold w*h*4).
EMSCRIPTEN_KEEPALIVE
void st_read_tile_rgb(openslide_t *osr, uint8_t *dest, int64_t x0, int64_t y0, int32_t level,
                      int64_t w, int64_t h, int32_t background) {
  st_read_region_rgba(osr, dest, x0, y0, level, w, h);
  if (!openslide_get_error(osr)) {
    rgba_over_background_to_rgb(dest, w * h, (uint8_t) background);
  }
}

// an associated image (label, macro, thumbnail) as straight RGBA into `dest` (w*h*4 bytes).
EMSCRIPTEN_KEEPALIVE
void st_read_associated_rgba(openslide_t *osr, const char *name, uint8_t *dest, int64_t pixels) {
  openslide_read_associated_image(osr, name, (uint32_t *) dest);
  if (!openslide_get_error(osr)) {
    argb_to_rgba((uint32_t *) dest, pixels);
  }
}

// --- PNG encoding -------------------------------------------------------------------------------
// The browser's canvas encoder is fast but filters every row alike at deflate's fastest setting:
// ~1.5x PIL's files. libpng (already linked for OpenSlide) with adaptive per-row filters, as PIL
// chooses them, at a low zlib level gives files near PIL's in about the canvas encoder's time.
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct membuf {
  uint8_t *data;
  size_t len, cap;
  int oom;
};

static void membuf_write(png_structp png, png_bytep data, png_size_t n) {
  struct membuf *b = png_get_io_ptr(png);
  if (b->oom) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256 * 1024;
    while (cap < b->len + n) cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
      b->oom = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
}

static void membuf_flush(png_structp png) { (void) png; }

// Packed RGB -> PNG bytes in a malloc'd buffer stored at *out (the caller frees it). `filters` is a
// libpng PNG_FILTER_* mask libpng chooses from per row (0: all five). Returns the length, 0 on failure.
EMSCRIPTEN_KEEPALIVE
int32_t st_encode_png_rgb(const uint8_t *rgb, int32_t w, int32_t h, int32_t zlib_level, int32_t filters,
                          uint8_t **out) {
  struct membuf b = {0};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  if (!png) return 0;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : NULL);
    free(b.data);
    return 0;
  }
  png_set_write_fn(png, &b, membuf_write, membuf_flush);
  png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, zlib_level);
  png_set_filter(png, 0, filters ? filters : PNG_ALL_FILTERS);
  png_write_info(png, info);
  for (int32_t y = 0; y < h; y++) png_write_row(png, rgb + (size_t) y * w * 3);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (b.oom) {
    free(b.data);
    return 0;
  }
  *out = b.data;
  return (int32_t) b.len;
}

// --- JPEG encoding ------------------------------------------------------------------------------
// The app encoded JPEG tiles with the browser's canvas and the CLI with jpeg-js: different bytes
// for the same tile. The libjpeg-turbo OpenSlide already links (the compressor is in the same
// library) gives one encoder everywhere, and PIL's bytes: Debian 12's PIL uses this same
// libjpeg-turbo 2.1.5, and its C code and native's x86 SIMD encode alike.
#include <stdio.h>  // jpeglib.h needs FILE and size_t declared first
#include <jpeglib.h>

struct jpeg_fail {
  struct jpeg_error_mgr pub;
  jmp_buf jmp;
};

static void jpeg_fail_exit(j_common_ptr cinfo) { longjmp(((struct jpeg_fail *) cinfo->err)->jmp, 1); }
static void jpeg_no_message(j_common_ptr cinfo) { (void) cinfo; }

// Packed RGB -> JPEG bytes in a malloc'd buffer stored at *out (the caller frees it), with what
// Pillow 9.4's JpegEncode.c does for Image.save(fp, 'JPEG', quality=Q) on an RGB image:
// jpeg_set_defaults (YCbCr 4:2:0, JFIF 1.01 with no density unit and 1x1 density, Huffman tables
// not optimized, baseline, islow DCT), then jpeg_set_quality(Q, force_baseline TRUE) (Q <= 0
// acts as 1, as in PIL). Returns the length, 0 on failure.
EMSCRIPTEN_KEEPALIVE
int32_t st_encode_jpeg_rgb(const uint8_t *rgb, int32_t w, int32_t h, int32_t quality, uint8_t **out) {
  struct jpeg_compress_struct cinfo;
  struct jpeg_fail err;
  unsigned char *volatile buf = NULL;  // volatile: read after longjmp
  unsigned long size = 0;
  if (w <= 0 || h <= 0 || w > JPEG_MAX_DIMENSION || h > JPEG_MAX_DIMENSION) return 0;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = jpeg_fail_exit;
  err.pub.output_message = jpeg_no_message;
  if (setjmp(err.jmp)) {
    jpeg_destroy_compress(&cinfo);
    free(buf);
    return 0;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, (unsigned char **) &buf, &size);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW) (rgb + (size_t) cinfo.next_scanline * w * 3);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  if (size > INT32_MAX) {
    free(buf);
    return 0;
  }
  *out = buf;
  return (int32_t) size;
}
