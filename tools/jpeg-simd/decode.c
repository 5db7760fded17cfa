/*
 * Decodes a corpus of JPEG files with the libjpeg it is linked against, at every scale OpenSlide
 * uses (1/1 .. 1/8, the Hamamatsu VMS levels) into the two output layouts that matter (OpenSlide's
 * JCS_EXT_BGRA, and JCS_RGB as PIL and djpeg decode), and either prints one hash per decode or,
 * when linked with the wasm SIMD128 libjpeg, compares every output byte of the SIMD kernels
 * against the same library's C paths, kernel by kernel, or times them.
 *
 *   decode hash  LIST            one line per decode: fnv64 width height file scale layout
 *   decode check LIST            (SIMD build) byte comparison, C paths vs each kernel and all
 *   decode bench LIST REPEAT [FILTER]  (SIMD build) time per kernel set over the corpus (or the
 *                                files whose path contains FILTER)
 *
 * LIST has one JPEG per line: "path<TAB>space", space = auto | ycc | rgb (the colour space
 * OpenSlide forces for a TIFF tile: JPEG-in-TIFF has no JFIF marker to say).
 * Built three ways by run.sh: emcc + Debian's libjpeg-turbo unchanged (the scalar reference),
 * emcc + the patched one (-DWASM_KERNELS), gcc + the system's native libjpeg-turbo.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jpeglib.h>

#ifdef WASM_KERNELS
extern int jsimd_wasm_kernels; /* simd/wasm/jsimd_wasm.h of the patch */
#endif

struct fail {
  struct jpeg_error_mgr pub;
  jmp_buf jmp;
  char msg[JMSG_LENGTH_MAX];
};

static void fail_exit(j_common_ptr cinfo) {
  struct fail *f = (struct fail *) cinfo->err;
  (*cinfo->err->format_message)(cinfo, f->msg);
  longjmp(f->jmp, 1);
}
static void no_message(j_common_ptr cinfo) { (void) cinfo; }

struct job { char *path; char space[8]; unsigned char *data; unsigned long size; };

static const int SCALES[] = { 1, 2, 4, 8 };
static const struct { const char *name; J_COLOR_SPACE cs; int bpp; } LAYOUTS[] = {
  { "bgra", JCS_EXT_BGRA, 4 },
  { "rgb", JCS_RGB, 3 },
};
#define N_SCALES (int) (sizeof SCALES / sizeof SCALES[0])
#define N_LAYOUTS (int) (sizeof LAYOUTS / sizeof LAYOUTS[0])

struct image { unsigned char *px; size_t bytes; unsigned w, h; char err[JMSG_LENGTH_MAX]; };

/* one decode; on a libjpeg error the image keeps what was decoded and the message */
static void decode(const struct job *j, int scale, int layout, struct image *out) {
  struct jpeg_decompress_struct cinfo;
  struct fail f;
  JSAMPROW row;
  int bpp;
  memset(out, 0, sizeof *out);
  cinfo.err = jpeg_std_error(&f.pub);
  f.pub.error_exit = fail_exit;
  f.pub.output_message = no_message;
  if (setjmp(f.jmp)) {
    snprintf(out->err, sizeof out->err, "%s", f.msg);
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, j->data, j->size);
  jpeg_read_header(&cinfo, TRUE);
  if (!strcmp(j->space, "ycc") && cinfo.num_components == 3) cinfo.jpeg_color_space = JCS_YCbCr;
  if (!strcmp(j->space, "rgb") && cinfo.num_components == 3) cinfo.jpeg_color_space = JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = scale;
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : LAYOUTS[layout].cs;
  jpeg_start_decompress(&cinfo);
  bpp = cinfo.num_components == 1 ? 1 : LAYOUTS[layout].bpp;
  out->w = cinfo.output_width;
  out->h = cinfo.output_height;
  out->bytes = (size_t) out->w * out->h * bpp;
  out->px = calloc(out->bytes ? out->bytes : 1, 1);
  while (cinfo.output_scanline < cinfo.output_height) {
    row = out->px + (size_t) cinfo.output_scanline * out->w * bpp;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
}

static uint64_t fnv64(const struct image *im) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < im->bytes; i++) h = (h ^ im->px[i]) * 1099511628211ULL;
  for (const char *c = im->err; *c; c++) h = (h ^ (unsigned char) *c) * 1099511628211ULL;
  return h;
}

static struct job *load_list(const char *list, int *n) {
  FILE *fl = fopen(list, "r");
  char line[4096];
  struct job *jobs = NULL;
  int cap = 0;
  *n = 0;
  if (!fl) { perror(list); exit(2); }
  while (fgets(line, sizeof line, fl)) {
    char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
    FILE *fj;
    struct job *j;
    if (nl) *nl = 0;
    if (!tab) continue;
    *tab = 0;
    if (*n == cap) jobs = realloc(jobs, sizeof *jobs * (cap = cap ? cap * 2 : 256));
    j = &jobs[(*n)++];
    j->path = strdup(line);
    snprintf(j->space, sizeof j->space, "%s", tab + 1);
    if (!(fj = fopen(j->path, "rb"))) { perror(j->path); exit(2); }
    fseek(fj, 0, SEEK_END);
    j->size = ftell(fj);
    fseek(fj, 0, SEEK_SET);
    j->data = malloc(j->size ? j->size : 1);
    if (fread(j->data, 1, j->size, fj) != j->size) { perror(j->path); exit(2); }
    fclose(fj);
  }
  fclose(fl);
  return jobs;
}

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
/* this process's CPU time (Node's process.cpuUsage): on a shared, busy machine wall-clock time
 * mostly measures the run queue; CPU time measures the decode */
static double now_ms(void) {
  return EM_ASM_DOUBLE({ const u = process.cpuUsage(); return (u.user + u.system) / 1000; });
}
#else
static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
#endif

int main(int argc, char **argv) {
  int n, s, l, i;
  struct job *jobs;
  if (argc < 3) { fprintf(stderr, "usage: decode hash|check|bench LIST [REPEAT]\n"); return 2; }
  jobs = load_list(argv[2], &n);

  if (!strcmp(argv[1], "hash")) {
    for (i = 0; i < n; i++)
      for (s = 0; s < N_SCALES; s++)
        for (l = 0; l < N_LAYOUTS; l++) {
          struct image im;
          decode(&jobs[i], SCALES[s], l, &im);
          printf("%016llx %u %u %s 1/%d %s%s%s\n", (unsigned long long) fnv64(&im), im.w, im.h,
                 jobs[i].path, SCALES[s], LAYOUTS[l].name, im.err[0] ? " error: " : "", im.err);
          free(im.px);
        }
    return 0;
  }
#ifdef WASM_KERNELS
  /* the kernel sets compared and timed: none (the C code), each alone, all (the engine's) */
  static const struct { const char *name; int mask; } SETS[] = {
    { "c", 0 }, { "idct_islow", 1 }, { "ycc_rgb", 2 }, { "h2v1_fancy", 4 }, { "h2v2_fancy", 8 }, { "all", 15 },
  };
  const int n_sets = (int) (sizeof SETS / sizeof SETS[0]);
  if (!strcmp(argv[1], "check")) {
    long decodes = 0, mismatches = 0, errors = 0;
    for (i = 0; i < n; i++)
      for (s = 0; s < N_SCALES; s++)
        for (l = 0; l < N_LAYOUTS; l++) {
          struct image ref, im;
          int k;
          jsimd_wasm_kernels = 0;
          decode(&jobs[i], SCALES[s], l, &ref);
          decodes++;
          if (ref.err[0]) errors++;
          for (k = 1; k < n_sets; k++) {
            jsimd_wasm_kernels = SETS[k].mask;
            decode(&jobs[i], SCALES[s], l, &im);
            decodes++;
            if (im.w != ref.w || im.h != ref.h || im.bytes != ref.bytes || strcmp(im.err, ref.err) ||
                memcmp(im.px, ref.px, ref.bytes)) {
              size_t at = 0;
              while (at < ref.bytes && at < im.bytes && im.px[at] == ref.px[at]) at++;
              printf("MISMATCH %s 1/%d %s kernels=%s first differing byte %zu\n", jobs[i].path,
                     SCALES[s], LAYOUTS[l].name, SETS[k].name, at);
              mismatches++;
            }
            free(im.px);
          }
          free(ref.px);
        }
    printf("check: %d files, %ld decodes (%ld ending in a libjpeg error, compared too), %ld mismatches\n",
           n, decodes, errors, mismatches);
    return mismatches ? 1 : 0;
  }
  if (!strcmp(argv[1], "bench")) {
    /* the engine's case: OpenSlide's BGRA at full scale, over the files whose path contains
     * FILTER (all by default). Each file is decoded by every kernel set in turn, REPEAT times
     * after a warm-up, and each (file, set) keeps its fastest time: on a busy machine the sets
     * see the same load, and the sums compare what the kernels do, not what the neighbours do. */
    int repeat = argc > 3 ? atoi(argv[3]) : 5, k, r, used = 0;
    const char *filter = argc > 4 ? argv[4] : "";
    double total[16] = { 0 };
    for (i = 0; i < n; i++) {
      double best[16];
      if (!strstr(jobs[i].path, filter)) continue;
      used++;
      for (k = 0; k < n_sets; k++) best[k] = 1e30;
      for (r = 0; r <= repeat; r++)
        for (k = 0; k < n_sets; k++) {
          int kk = (k + r) % n_sets;  /* a different set goes first each round */
          struct image im;
          double t0, t;
          jsimd_wasm_kernels = SETS[kk].mask;
          t0 = now_ms();
          decode(&jobs[i], 1, 0, &im);
          t = now_ms() - t0;
          free(im.px);
          if (r > 0 && t < best[kk]) best[kk] = t;
        }
      for (k = 0; k < n_sets; k++) total[k] += best[k];
    }
    printf("bench: %d files%s%s, BGRA 1/1, sum over files of the best of %d decodes (CPU time)\n", used,
           *filter ? " matching " : "", filter, repeat);
    for (k = 0; k < n_sets; k++)
      printf("bench %-11s %9.1f ms  %.2fx vs C\n", SETS[k].name, total[k], total[0] / total[k]);
    return 0;
  }
#endif
  fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
