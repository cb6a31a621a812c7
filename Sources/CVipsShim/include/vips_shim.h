#ifndef HEADSHOT_VIPS_SHIM_H
#define HEADSHOT_VIPS_SHIM_H

// Plain, non-variadic C entry points over libvips for Swift. Every function that produces an
// image returns 0 on success and stores a new reference in *out that the caller must release
// with hs_vips_unref; on failure it returns -1 and libvips' error buffer says why.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _VipsImage VipsImage;

/// Starts libvips once per process; returns 0 on success. Threads used inside one operation are
/// capped at `concurrency` because callers already parallelise across photos.
int hs_vips_init(int concurrency);

/// Copies libvips' error buffer into `buffer` (always NUL-terminated) and clears it.
void hs_vips_take_error(char *buffer, size_t length);

void hs_vips_unref(VipsImage *image);
void hs_vips_free(void *memory);

/// Name of the loader libvips would choose for these bytes ("jpegload_buffer", ...) or NULL.
const char *hs_vips_loader_for(const void *data, size_t length);

/// Opens a buffer lazily: only the header is parsed, so size and page count can be checked before
/// any pixel is decoded. `data` must outlive the image.
int hs_vips_open_header(const void *data, size_t length, VipsImage **out);

int hs_vips_width(const VipsImage *image);
int hs_vips_height(const VipsImage *image);
int hs_vips_bands(const VipsImage *image);
int hs_vips_pages(VipsImage *image);
int hs_vips_orientation(VipsImage *image);

/// Decodes with EXIF orientation applied, shrinks (never enlarges) to fit `max_side`, and
/// converts to 8-bit sRGB with any alpha flattened onto white, failing on any decode error.
/// The result is evaluated into memory; when that takes longer than `seconds` it is killed and
/// -2 is returned (-1 for any other failure).
int hs_vips_decode_normalised(const void *data, size_t length, int max_side, double seconds, VipsImage **out);

/// JPEG with every metadata block (EXIF, XMP, IPTC, ICC) stripped.
int hs_vips_jpeg(VipsImage *image, int quality, void **data, size_t *length);

/// Evaluates an image into memory, so several measurements of it do not each recompute it.
int hs_vips_copy_memory(VipsImage *image, VipsImage **out);

int hs_vips_resize(VipsImage *image, double hscale, double vscale, VipsImage **out);
int hs_vips_crop(VipsImage *image, int left, int top, int width, int height, VipsImage **out);
int hs_vips_grey(VipsImage *image, VipsImage **out);
/// Float convolution with a 3×3 kernel given row by row.
int hs_vips_conv3x3(VipsImage *image, const double kernel[9], VipsImage **out);
int hs_vips_gaussblur(VipsImage *image, double sigma, VipsImage **out);
/// Multiplies every band by `factor` and adds `offset`, clamped back to 8 bits.
int hs_vips_linear(VipsImage *image, double factor, double offset, VipsImage **out);
int hs_vips_rotate(VipsImage *image, int degrees, VipsImage **out);
/// A copy with an integer metadata field set ("orientation", "page-height"), for building test files.
int hs_vips_with_int(VipsImage *image, const char *name, int value, VipsImage **out);
int hs_vips_mean(VipsImage *image, double *out);
int hs_vips_deviation(VipsImage *image, double *out);
/// Fraction (0–1) of pixels of a one-band image that are >= threshold (above=1) or <= it (above=0).
int hs_vips_fraction(VipsImage *image, double threshold, int above, double *out);
/// Raw interleaved 8-bit pixels, row after row with no padding; free with hs_vips_free.
int hs_vips_pixels(VipsImage *image, void **data, size_t *length);
/// Makes an image from raw interleaved 8-bit pixels (copied).
int hs_vips_from_pixels(const void *data, int width, int height, int bands, VipsImage **out);
/// Saves in the format the suffix of `name` names (".png", ".webp", ".heic", ".tif", ".gif"...) into memory.
int hs_vips_save(VipsImage *image, const char *suffix, void **data, size_t *length);

#ifdef __cplusplus
}
#endif

#endif

// The studio renderer's wrappers.
#include "vips_studio.h"
