// Thin wrappers over libvips' variadic API; no image logic lives here.
#include "vips_shim.h"

#include <string.h>
#include <time.h>
#include <vips/vips.h>

// libvips logs decoder warnings (CRC errors, junk after the image) to stderr. Hostile uploads would
// fill the logs with them; the failures that matter come back through the error buffer instead.
static void hs_drop_warning(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user) {
    (void)domain; (void)level; (void)message; (void)user;
}

int hs_vips_init(int concurrency) {
    static int started = 0;
    static int status = 0;
    // vips_init is itself idempotent, but the settings below are applied once.
    if (__atomic_exchange_n(&started, 1, __ATOMIC_SEQ_CST) == 0) {
        status = VIPS_INIT("headshot") ? -1 : 0;
        if (status == 0) {
            // Every photo is decoded once; caching operations would only hold memory.
            vips_cache_set_max(0);
            vips_cache_set_max_mem(0);
            vips_concurrency_set(concurrency > 0 ? concurrency : 1);
            g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, hs_drop_warning, NULL);
        }
    }
    return status;
}

void hs_vips_take_error(char *buffer, size_t length) {
    if (length == 0) return;
    // libvips keeps one error buffer for the whole process. vips_error_buffer() hands out a pointer
    // into it that another thread may be writing to or clearing; the copy is taken and the buffer
    // cleared in one step under libvips' own lock.
    char *text = vips_error_buffer_copy();
    strncpy(buffer, text ? text : "", length - 1);
    buffer[length - 1] = '\0';
    g_free(text);
}

void hs_vips_unref(VipsImage *image) {
    if (image) g_object_unref(image);
}

void hs_vips_free(void *memory) { g_free(memory); }

const char *hs_vips_loader_for(const void *data, size_t length) {
    const char *name = vips_foreign_find_load_buffer(data, length);
    // An unknown format leaves a message behind; it is taken (under the lock) so it is not read as a
    // later operation's error.
    if (!name) g_free(vips_error_buffer_copy());
    return name;
}

int hs_vips_open_header(const void *data, size_t length, VipsImage **out) {
    *out = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    return *out ? 0 : -1;
}

int hs_vips_width(const VipsImage *image) { return vips_image_get_width(image); }
int hs_vips_height(const VipsImage *image) { return vips_image_get_height(image); }
int hs_vips_bands(const VipsImage *image) { return vips_image_get_bands(image); }
int hs_vips_pages(VipsImage *image) { return vips_image_get_n_pages(image); }
int hs_vips_orientation(VipsImage *image) { return vips_image_get_orientation(image); }

typedef struct {
    struct timespec deadline;
    int killed;
} hs_deadline;

static void hs_on_eval(VipsImage *image, VipsProgress *progress, void *user) {
    (void)progress;
    const hs_deadline *limit = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > limit->deadline.tv_sec ||
        (now.tv_sec == limit->deadline.tv_sec && now.tv_nsec > limit->deadline.tv_nsec)) {
        vips_image_set_kill(image, TRUE);
        ((hs_deadline *)user)->killed = 1;
    }
}

// Replaces *image by next (taking ownership), or returns -1 when the step failed.
static int hs_step(VipsImage **image, int failed, VipsImage *next) {
    if (failed) return -1;
    g_object_unref(*image);
    *image = next;
    return 0;
}

int hs_vips_decode_normalised(const void *data, size_t length, int max_side, double seconds, VipsImage **out) {
    *out = NULL;
    VipsImage *image = NULL;
    if (vips_thumbnail_buffer((void *)data, length, &image, max_side,
                              "height", max_side,
                              "size", VIPS_SIZE_DOWN,
                              // thumbnail's own fail_on does not reach the loader in 8.14; the
                              // loader's option string does, so truncated files are refused.
                              "option_string", "fail_on=error",
                              NULL)) {
        return -1;
    }
    VipsImage *next = NULL;
    // Only a photo that carries its own profile (Display P3 from phones, Adobe RGB from cameras) needs
    // a colour transform; untagged photos are sRGB by convention and skip the cost of one.
    if (vips_image_get_typeof(image, VIPS_META_ICC_NAME)) {
        if (hs_step(&image, vips_icc_transform(image, &next, "srgb", "embedded", TRUE, NULL), next)) goto fail;
    }
    if (vips_image_hasalpha(image)) {
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        int failed = vips_flatten(image, &next, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        if (hs_step(&image, failed, next)) goto fail;
    }
    if (hs_step(&image, vips_colourspace(image, &next, VIPS_INTERPRETATION_sRGB, NULL), next)) goto fail;
    if (vips_image_get_bands(image) > 3) {
        if (hs_step(&image, vips_extract_band(image, &next, 0, "n", 3, NULL), next)) goto fail;
    }
    if (hs_step(&image, vips_cast_uchar(image, &next, NULL), next)) goto fail;

    hs_deadline limit;
    limit.killed = 0;
    clock_gettime(CLOCK_MONOTONIC, &limit.deadline);
    long long nanos = (long long)(seconds * 1e9);
    limit.deadline.tv_sec += nanos / 1000000000LL;
    limit.deadline.tv_nsec += nanos % 1000000000LL;
    if (limit.deadline.tv_nsec >= 1000000000L) {
        limit.deadline.tv_sec += 1;
        limit.deadline.tv_nsec -= 1000000000L;
    }
    vips_image_set_progress(image, TRUE);
    gulong handler = g_signal_connect(image, "eval", G_CALLBACK(hs_on_eval), &limit);
    VipsImage *memory = vips_image_copy_memory(image);
    g_signal_handler_disconnect(image, handler);
    g_object_unref(image);
    // Killed: said by the return code, not by libvips' error text, which is one buffer for every
    // thread (another decode may have cleared it by the time the caller reads it).
    if (!memory) return limit.killed ? -2 : -1;
    *out = memory;
    return 0;

fail:
    g_object_unref(image);
    return -1;
}

int hs_vips_jpeg(VipsImage *image, int quality, void **data, size_t *length) {
    return vips_jpegsave_buffer(image, data, length,
                                "Q", quality,
                                "strip", TRUE,
                                "subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF,
                                NULL);
}

int hs_vips_copy_memory(VipsImage *image, VipsImage **out) {
    *out = vips_image_copy_memory(image);
    return *out ? 0 : -1;
}

int hs_vips_resize(VipsImage *image, double hscale, double vscale, VipsImage **out) {
    return vips_resize(image, out, hscale, "vscale", vscale, NULL);
}

int hs_vips_crop(VipsImage *image, int left, int top, int width, int height, VipsImage **out) {
    return vips_extract_area(image, out, left, top, width, height, NULL);
}

int hs_vips_grey(VipsImage *image, VipsImage **out) {
    return vips_colourspace(image, out, VIPS_INTERPRETATION_B_W, NULL);
}

int hs_vips_conv3x3(VipsImage *image, const double kernel[9], VipsImage **out) {
    VipsImage *mask = vips_image_new_matrix_from_array(3, 3, kernel, 9);
    if (!mask) return -1;
    int failed = vips_conv(image, out, mask, "precision", VIPS_PRECISION_FLOAT, NULL);
    g_object_unref(mask);
    return failed;
}

int hs_vips_gaussblur(VipsImage *image, double sigma, VipsImage **out) {
    return vips_gaussblur(image, out, sigma, NULL);
}

int hs_vips_linear(VipsImage *image, double factor, double offset, VipsImage **out) {
    VipsImage *scaled = NULL;
    if (vips_linear1(image, &scaled, factor, offset, NULL)) return -1;
    int failed = vips_cast_uchar(scaled, out, NULL);
    g_object_unref(scaled);
    return failed;
}

int hs_vips_rotate(VipsImage *image, int degrees, VipsImage **out) {
    VipsAngle angle = VIPS_ANGLE_D0;
    switch (((degrees % 360) + 360) % 360) {
    case 90: angle = VIPS_ANGLE_D90; break;
    case 180: angle = VIPS_ANGLE_D180; break;
    case 270: angle = VIPS_ANGLE_D270; break;
    default: break;
    }
    return vips_rot(image, out, angle, NULL);
}

int hs_vips_with_int(VipsImage *image, const char *name, int value, VipsImage **out) {
    if (vips_copy(image, out, NULL)) return -1;
    vips_image_set_int(*out, name, value);
    return 0;
}

int hs_vips_mean(VipsImage *image, double *out) { return vips_avg(image, out, NULL); }

int hs_vips_deviation(VipsImage *image, double *out) { return vips_deviate(image, out, NULL); }

int hs_vips_fraction(VipsImage *image, double threshold, int above, double *out) {
    VipsImage *mask = NULL;
    int failed = above ? vips_moreeq_const1(image, &mask, threshold, NULL)
                       : vips_lesseq_const1(image, &mask, threshold, NULL);
    if (failed) return -1;
    double mean = 0;
    failed = vips_avg(mask, &mean, NULL);
    g_object_unref(mask);
    *out = mean / 255.0;
    return failed;
}

int hs_vips_pixels(VipsImage *image, void **data, size_t *length) {
    *data = vips_image_write_to_memory(image, length);
    return *data ? 0 : -1;
}

int hs_vips_from_pixels(const void *data, int width, int height, int bands, VipsImage **out) {
    VipsImage *raw = vips_image_new_from_memory_copy(data, (size_t)width * height * bands, width, height, bands,
                                                     VIPS_FORMAT_UCHAR);
    if (!raw) return -1;
    int failed = vips_copy(raw, out, "interpretation",
                           bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W, NULL);
    g_object_unref(raw);
    return failed;
}

int hs_vips_save(VipsImage *image, const char *suffix, void **data, size_t *length) {
    return vips_image_write_to_buffer(image, suffix, data, length, NULL);
}

