#ifndef HEADSHOT_STUDIO_SHIM_H
#define HEADSHOT_STUDIO_SHIM_H

// The studio renderer's per-frame operations, each an OpenCV call or a short chain of them on
// interleaved 8-bit images in memory: one pass each over a 1600 × 2000 frame, vectorised, on the
// calling thread. The renderer decides what to do; these only do it. No C++ exception crosses
// this boundary: failures return non-zero with a message in `error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How a warp continues its source past the edges: the edge pixels repeated, or mirrored.
enum { HS_EXTEND_REPEAT = 0, HS_EXTEND_MIRROR = 1 };

/// `source` (source_width × source_height × channels bytes) mapped by out = M·in + t with
/// M = [m0 m1; m3 m4] and t = (m2, m5), bilinear, into `out` (width × height × channels).
int hs_warp(const uint8_t *source, int source_width, int source_height, int channels, const double matrix[6], int extend,
            uint8_t *out, int width, int height, char *error, size_t error_length);

/// Gaussian blur of width × height × channels bytes, in place.
int hs_blur(uint8_t *pixels, int width, int height, int channels, double sigma, char *error, size_t error_length);

/// Each channel of `rgb` through its own table (`tables`: 3 × 256 bytes, channel c's at c · 256), in place.
int hs_lookup(uint8_t *rgb, int width, int height, const uint8_t *tables, char *error, size_t error_length);

/// The rectangle (x, y, region_width, region_height) of `pixels` multiplied, every channel alike
/// and saturating, by `field` (field_width × field_height floats) enlarged bilinearly to it.
int hs_multiply_field(uint8_t *pixels, int width, int height, int channels, int x, int y, int region_width, int region_height,
                      const float *field, int field_width, int field_height, char *error, size_t error_length);

/// `rgb` made grey in place: luma (Rec. 601) in all three channels.
int hs_monochrome(uint8_t *rgb, int width, int height, char *error, size_t error_length);

/// The photo's edge colours decontaminated in place, so no halo of the old background shows once
/// the person is put on a new one: at the matte's soft edge (α = matte / 255, the matte being
/// matte_width × matte_height and enlarged to the photo) the pixels still carry the old background,
/// so there the person's colour is taken from nearby person pixels instead: a matte-weighted,
/// normalised Gaussian blur (σ = `spread_sigma`) worked out `spread_shrink` times smaller and
/// enlarged again, mixed in as photo·α² + spread·(1 − α²).
int hs_decontaminate(uint8_t *rgb, int width, int height, const uint8_t *matte, int matte_width, int matte_height, int spread_shrink,
                     double spread_sigma, char *error, size_t error_length);

/// The person over the background through the matte: out = person·α + background·(1 − α),
/// α = matte / 255. All width × height.
int hs_over(const uint8_t *person, const uint8_t *background, const uint8_t *matte, int width, int height, uint8_t *out,
            char *error, size_t error_length);

/// Gaussian noise (σ = `sigma`, from `seed`) filling width × height floats: a backdrop's grain.
int hs_grain(float *out, int width, int height, double sigma, int seed, char *error, size_t error_length);

/// A drawn backdrop at full size: the shade `t` (small_width × small_height floats, 0 at the light
/// spot to 1 at the corners, worked out small) is enlarged bilinearly to width × height, channel c
/// becomes from[c] + (to[c] − from[c])·t plus the grain (the top-left width × height of a buffer
/// `grain_width` floats wide) so the gradient cannot band, and is rounded to bytes.
int hs_backdrop(const float *shade, int small_width, int small_height, const double from[3], const double to[3],
                const float *grain, int grain_width, int width, int height, uint8_t *out, char *error, size_t error_length);

/// Process-wide: freed blocks up to 32 MB stay in the process's heap for reuse (glibc's mmap
/// threshold at its ceiling, trimming only past 256 MB free) instead of going back to the kernel.
void hs_keep_large_buffers(void);

/// A rim light: `rgb` lightened towards white by up to `strength` (0…1) along the person's
/// silhouette (`matte`, same size) on the side facing the light (`towards_right`: the image's right).
int hs_rim(uint8_t *rgb, const uint8_t *matte, int width, int height, int towards_right, double strength, char *error,
           size_t error_length);

/// Draws `count` shapes over `rgb` in order (9 doubles each: kind 0 rectangle / 1 ellipse, x, y,
/// width, height, r, g, b, opacity), anti-aliased, then blurs the whole by `blur_sigma` (0: none).
int hs_draw_scene(uint8_t *rgb, int width, int height, const double *shapes, int count, double blur_sigma, char *error,
                  size_t error_length);

/// `small` enlarged (bicubic) to width × height with `grain` (a row stride of `grain_width`) added to every channel.
int hs_enlarge_grained(const uint8_t *small, int small_width, int small_height, const float *grain, int grain_width, uint8_t *out,
                       int width, int height, char *error, size_t error_length);

/// A grey copy of `rgb` shrunk (area average) to out_width × out_height.
int hs_grey_thumbnail(const uint8_t *rgb, int width, int height, uint8_t *out, int out_width, int out_height, char *error,
                      size_t error_length);

/// Mean structural similarity (SSIM, OpenCV's quality module) of two grey images of one size.
int hs_ssim(const uint8_t *first, const uint8_t *second, int width, int height, double *similarity, char *error,
            size_t error_length);

#ifdef __cplusplus
}
#endif

#endif
