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
