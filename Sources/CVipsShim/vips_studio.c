// Thin wrappers over libvips for the studio renderer; the renderer's logic lives in Swift.
#include "vips_studio.h"

#include <vips/vips.h>

#include <string.h>

static VipsInterpretation hs_space(int space) {
    switch (space) {
    case 1: return VIPS_INTERPRETATION_LAB;
    case 2: return VIPS_INTERPRETATION_B_W;
    default: return VIPS_INTERPRETATION_sRGB;
    }
}

int hs_vips_embed(VipsImage *image, int x, int y, int width, int height, int mode, VipsImage **out) {
    return vips_embed(image, out, x, y, width, height, "extend", mode == 1 ? VIPS_EXTEND_MIRROR : VIPS_EXTEND_COPY, NULL);
}

int hs_vips_xyz(int width, int height, VipsImage **out) {
    VipsImage *xy = NULL;
    if (vips_xyz(&xy, width, height, NULL)) return -1;
    int failed = vips_cast_float(xy, out, NULL);
    g_object_unref(xy);
    return failed;
}

int hs_vips_linear_float(VipsImage *image, const double *a, const double *b, int count, VipsImage **out) {
    return vips_linear(image, out, (double *)a, (double *)b, count, NULL);
}

int hs_vips_arith(VipsImage *left, VipsImage *right, int operation, VipsImage **out) {
    switch (operation) {
    case 0: return vips_add(left, right, out, NULL);
    case 1: return vips_subtract(left, right, out, NULL);
    case 2: return vips_multiply(left, right, out, NULL);
    default: return vips_divide(left, right, out, NULL);
    }
}

int hs_vips_pow(VipsImage *image, double exponent, VipsImage **out) {
    return vips_math2_const1(image, out, VIPS_OPERATION_MATH2_POW, exponent, NULL);
}

// max(x, lo) = (x + lo + |x − lo|) / 2, then min(y, hi) = (y + hi − |y − hi|) / 2 (libvips 8.14 has no clamp).
static int hs_bound(VipsImage *image, double limit, double sign, VipsImage **out) {
    VipsImage *shifted = NULL, *magnitude = NULL, *sum = NULL;
    int failed = vips_linear1(image, &shifted, 1.0, -limit, NULL) || vips_abs(shifted, &magnitude, NULL) ||
                 vips_linear1(magnitude, &sum, sign * 0.5, 0.0, NULL);
    VipsImage *half = NULL;
    if (!failed) failed = vips_linear1(image, &half, 0.5, 0.5 * limit, NULL) || vips_add(half, sum, out, NULL);
    if (shifted) g_object_unref(shifted);
    if (magnitude) g_object_unref(magnitude);
    if (sum) g_object_unref(sum);
    if (half) g_object_unref(half);
    return failed ? -1 : 0;
}

int hs_vips_clamp(VipsImage *image, double low, double high, VipsImage **out) {
    VipsImage *floor = NULL;
    if (hs_bound(image, low, 1.0, &floor)) return -1;
    int failed = hs_bound(floor, high, -1.0, out);
    g_object_unref(floor);
    return failed;
}

int hs_vips_resize_linear(VipsImage *image, double hscale, double vscale, VipsImage **out) {
    return vips_resize(image, out, hscale, "vscale", vscale, "kernel", VIPS_KERNEL_LINEAR, NULL);
}

int hs_vips_shrink(VipsImage *image, int factor, VipsImage **out) {
    return vips_shrink(image, out, (double)factor, (double)factor, NULL);
}

int hs_vips_cast_uchar(VipsImage *image, VipsImage **out) {
    return vips_cast_uchar(image, out, NULL);
}

int hs_vips_bandjoin(VipsImage **images, int count, VipsImage **out) {
    return vips_bandjoin(images, out, count, NULL);
}

int hs_vips_extract_band(VipsImage *image, int band, int count, VipsImage **out) {
    return vips_extract_band(image, out, band, "n", count, NULL);
}

int hs_vips_colourspace(VipsImage *image, int space, VipsImage **out) {
    return vips_colourspace(image, out, hs_space(space), NULL);
}

int hs_vips_interpret(VipsImage *image, int space, VipsImage **out) {
    return vips_copy(image, out, "interpretation", hs_space(space), NULL);
}

int hs_vips_band_means(VipsImage *image, double *means, int count) {
    VipsImage *stats = NULL;
    if (vips_stats(image, &stats, NULL)) return -1;
    // Row 0 is all bands together; row n is band n-1. Column 4 is the mean.
    int failed = 0;
    for (int band = 0; band < count && band < image->Bands; band++) {
        double *value = NULL;
        int n = 0;
        if (vips_getpoint(stats, &value, &n, 4, band + 1, NULL)) { failed = -1; break; }
        means[band] = value[0];
        g_free(value);
    }
    g_object_unref(stats);
    return failed;
}

int hs_vips_insert(VipsImage *main, VipsImage *sub, int x, int y, VipsImage **out) {
    return vips_insert(main, sub, out, x, y, NULL);
}

int hs_vips_sharpen(VipsImage *image, double sigma, double amount, VipsImage **out) {
    VipsImage *sharp = NULL;
    if (vips_sharpen(image, &sharp, "sigma", sigma, "m2", amount, NULL)) return -1;
    // sharpen answers in LabS-derived sRGB that may be 16-bit; bring it back to 8-bit sRGB.
    VipsImage *srgb = NULL;
    int failed = vips_colourspace(sharp, &srgb, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(sharp);
    if (failed) return -1;
    failed = vips_cast_uchar(srgb, out, NULL);
    g_object_unref(srgb);
    return failed;
}

int hs_vips_arrayjoin(VipsImage **images, int count, int across, int gap, double background, VipsImage **out) {
    VipsArrayDouble *fill = vips_array_double_newv(1, background);
    int failed = vips_arrayjoin(images, out, count, "across", across, "shim", gap, "background", fill, NULL);
    vips_area_unref(VIPS_AREA(fill));
    return failed;
}
