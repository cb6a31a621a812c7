#ifndef HEADSHOT_OPENCV_SHIM_H
#define HEADSHOT_OPENCV_SHIM_H

// OpenCV behind plain C functions: the person-segmentation network (cv::dnn, ONNX) and the guided
// filter that refines its mask along the image's edges (cv::ximgproc), polygon masks and the
// bilateral filter for skin retouching (cv::imgproc). No C++ exception crosses
// this boundary: failures return non-zero with a message in `error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_segmenter hs_segmenter;

/// The side of the square input the network takes (256).
int hs_segmenter_side(void);

/// Loads the ONNX network. NULL on failure, with the reason in `error`.
hs_segmenter *hs_segmenter_open(const char *model_path, char *error, size_t error_length);
void hs_segmenter_close(hs_segmenter *segmenter);

/// Runs the network on `rgb`, side × side × 3 bytes, writing side × side person probabilities
/// (0…1) to `mask`. Not for concurrent use of one segmenter.
int hs_segmenter_run(hs_segmenter *segmenter, const uint8_t *rgb, float *mask, char *error, size_t error_length);

/// Edge-aware refinement: a guided filter of `mask` (width × height bytes) steered by `rgb`
/// (width × height × 3 bytes), written to `out` (width × height bytes).
int hs_guided_filter(const uint8_t *rgb, const uint8_t *mask, int width, int height, int radius, double epsilon,
                     uint8_t *out, char *error, size_t error_length);

/// Fills polygons into an 8-bit one-band `mask` (width × height) with `value`, antialiased.
/// `points` holds x, y pairs; `counts[i]` is the number of points of polygon i.
int hs_fill_polygons(uint8_t *mask, int width, int height, const double *points, const int *counts, int polygons,
                     uint8_t value, char *error, size_t error_length);

/// Edge-preserving smoothing (bilateral filter) of `rgb` (width × height × 3 bytes) into `out`.
int hs_bilateral(const uint8_t *rgb, int width, int height, int diameter, double sigma_colour, double sigma_space,
                 uint8_t *out, char *error, size_t error_length);

/// Per-pixel blend of two width × height × 3 images: out = a·w + b·(1 − w), with w = weight / 255
/// (weight is width × height bytes).
int hs_blend(const uint8_t *a, const uint8_t *b, const uint8_t *weight, int width, int height, uint8_t *out,
             char *error, size_t error_length);

#ifdef __cplusplus
}
#endif

#endif
