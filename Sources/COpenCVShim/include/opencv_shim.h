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

/// Edge-aware refinement: a guided filter of `mask` (width × height bytes) steered by `guide`
/// (width × height × `channels` bytes, 1 or 3), written to `out` (width × height bytes).
int hs_guided_filter(const uint8_t *guide, int channels, const uint8_t *mask, int width, int height, int radius, double epsilon,
                     uint8_t *out, char *error, size_t error_length);

/// Fills polygons into an 8-bit one-band `mask` (width × height) with `value`, antialiased.
/// `points` holds x, y pairs; `counts[i]` is the number of points of polygon i.
int hs_fill_polygons(uint8_t *mask, int width, int height, const double *points, const int *counts, int polygons,
                     uint8_t value, char *error, size_t error_length);

/// Edge-preserving smoothing (bilateral filter) of `rgb` (width × height × 3 bytes) into `out`.
int hs_bilateral(const uint8_t *rgb, int width, int height, int diameter, double sigma_colour, double sigma_space,
                 uint8_t *out, char *error, size_t error_length);

/// The person over the background through the matte, with the edge colours decontaminated:
/// `spread` (spread_width × spread_height × 3, the person's colours spread outwards, worked out small)
/// is enlarged bilinearly to the frame, then cleaned = person·α² + spread·(1 − α²) and
/// out = cleaned·α + background·(1 − α), α = matte / 255. All images are width × height.
int hs_composite(const uint8_t *person, const uint8_t *background, const uint8_t *matte, int width, int height,
                 const uint8_t *spread, int spread_width, int spread_height, uint8_t *out, char *error, size_t error_length);

/// A drawn backdrop finished at full size: `gradient` (small_width × small_height × 3 floats, the
/// smooth colour field worked out small) is enlarged bilinearly to width × height, fine Gaussian grain
/// (`grain` levels, from `seed`) is added so the gradient cannot band, and the result is written as bytes.
int hs_backdrop(const float *gradient, int small_width, int small_height, int width, int height, double grain, int seed,
                uint8_t *out, char *error, size_t error_length);

#ifdef __cplusplus
}
#endif

#endif
