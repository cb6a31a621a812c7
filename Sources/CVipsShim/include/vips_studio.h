#ifndef HEADSHOT_VIPS_STUDIO_H
#define HEADSHOT_VIPS_STUDIO_H

// More thin wrappers over libvips, for the studio renderer: geometry, arithmetic on whole images,
// colour spaces and lookup tables. Each is one libvips operation
// (or one plus the cast back to 8 bits); the renderer composes them in Swift.

#include <stddef.h>
#include "vips_shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The image placed at (x, y) in a `width` × `height` canvas, the rest filled by repeating its
/// edge (mode 0) or mirroring it (mode 1).
int hs_vips_embed(VipsImage *image, int x, int y, int width, int height, int mode, VipsImage **out);
/// A two-band float image whose pixels hold their own x and y.
int hs_vips_xyz(int width, int height, VipsImage **out);
/// Per-band linear in float: out[i] = in[i]·a[i] + b[i], with `count` coefficients (1 applies to all bands).
int hs_vips_linear_float(VipsImage *image, const double *a, const double *b, int count, VipsImage **out);
/// Elementwise arithmetic in float: 0 add, 1 subtract, 2 multiply, 3 divide.
int hs_vips_arith(VipsImage *left, VipsImage *right, int operation, VipsImage **out);
/// Elementwise raised to a constant power.
int hs_vips_pow(VipsImage *image, double exponent, VipsImage **out);
int hs_vips_clamp(VipsImage *image, double low, double high, VipsImage **out);
/// Resize with a bilinear kernel: for smooth fields worked out small, where a sharper kernel buys nothing.
int hs_vips_resize_linear(VipsImage *image, double hscale, double vscale, VipsImage **out);
/// Box-filter shrink by integer factors (fast; for smooth fields and estimates).
int hs_vips_shrink(VipsImage *image, int factor, VipsImage **out);
/// Cast to 8 bits, clamping to 0…255 (fractions are dropped).
int hs_vips_cast_uchar(VipsImage *image, VipsImage **out);
int hs_vips_bandjoin(VipsImage **images, int count, VipsImage **out);
int hs_vips_extract_band(VipsImage *image, int band, int count, VipsImage **out);
/// Colour space change: 0 sRGB, 1 CIELAB (float), 2 B_W.
int hs_vips_colourspace(VipsImage *image, int space, VipsImage **out);
/// Tags an image's interpretation without changing its pixels (0 sRGB, 1 CIELAB, 2 B_W).
int hs_vips_interpret(VipsImage *image, int space, VipsImage **out);
/// Per-band means, into `means` (at least as many as the image has bands).
int hs_vips_band_means(VipsImage *image, double *means, int count);
/// Places `sub` over `main` at (x, y).
int hs_vips_insert(VipsImage *main, VipsImage *sub, int x, int y, VipsImage **out);
/// Unsharp masking in L* (libvips' sharpen).
int hs_vips_sharpen(VipsImage *image, double sigma, double amount, VipsImage **out);
/// Lays images out in a grid `across` wide, with `gap` pixels of `background` grey between them.
int hs_vips_arrayjoin(VipsImage **images, int count, int across, int gap, double background, VipsImage **out);

#ifdef __cplusplus
}
#endif

#endif
