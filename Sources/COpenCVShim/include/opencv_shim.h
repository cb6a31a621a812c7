#ifndef HEADSHOT_OPENCV_SHIM_H
#define HEADSHOT_OPENCV_SHIM_H

// OpenCV behind plain C functions: the person-segmentation network (cv::dnn, ONNX) with GrabCut and
// the guided filter that refine its mask along the image's edges (cv::imgproc, cv::ximgproc), polygon masks and the
// bilateral filter for skin retouching (cv::imgproc). The studio renderer's per-frame operations
// are in studio_shim.h. No C++ exception crosses this boundary: failures return non-zero with a
// message in `error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_segmenter hs_segmenter;

/// Loads the ONNX network. NULL on failure, with the reason in `error`.
hs_segmenter *hs_segmenter_open(const char *model_path, char *error, size_t error_length);
void hs_segmenter_close(hs_segmenter *segmenter);

/// The person's matte of `rgb` (width × height × 3 bytes): the photo is resized to matte_width ×
/// matte_height, the network runs on a side × side copy, its mask seeds a GrabCut of the photo at a
/// quarter of that size, and the cut is enlarged along the photo's edges by a guided filter, written to `matte` (matte_width × matte_height bytes,
/// 255 = person). Not for concurrent use of one segmenter.
int hs_segmenter_matte(hs_segmenter *segmenter, const uint8_t *rgb, int width, int height, uint8_t *matte, int matte_width,
                       int matte_height, char *error, size_t error_length);

/// Fills polygons into an 8-bit one-band `mask` (width × height) with `value`, antialiased.
/// `points` holds x, y pairs; `counts[i]` is the number of points of polygon i.
int hs_fill_polygons(uint8_t *mask, int width, int height, const double *points, const int *counts, int polygons,
                     uint8_t value, char *error, size_t error_length);

/// Edge-preserving smoothing (bilateral filter) of `rgb` (width × height × 3 bytes) into `out`.
int hs_bilateral(const uint8_t *rgb, int width, int height, int diameter, double sigma_colour, double sigma_space,
                 uint8_t *out, char *error, size_t error_length);

/// Throws a non-standard C++ exception through the guard every call of this shim uses; returns
/// non-zero with a message when the guard holds (a test of the shim itself).
int hs_opencv_guard_probe(char *error, size_t error_length);

#ifdef __cplusplus
}
#endif

#endif
