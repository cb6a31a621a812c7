#ifndef HEADSHOT_DLIB_SHIM_H
#define HEADSHOT_DLIB_SHIM_H

// Plain C entry points over dlib 19.24 (Debian's libdlib-dev). dlib is C++ templates; they are
// instantiated and optimised in this target. No C++ exception crosses this boundary: failures
// return -1 (or NULL) with a message in `error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_face_models hs_face_models;
typedef struct hs_face_session hs_face_session;
typedef struct hs_face_image hs_face_image;

typedef struct {
    long left, top, right, bottom;
    /// Detector score; higher is a clearer face (HOG: about 0 at the threshold, 1–3 for clear faces).
    double confidence;
} hs_face_box;

typedef struct {
    float x, y;
} hs_face_point;

/// Loads the shape predictors (5 and 68 points), the ResNet descriptor network and the MMOD CNN
/// detector. Shared, read-only state; use one session per thread on top of it.
hs_face_models *hs_face_models_load(const char *shape5_path, const char *shape68_path,
                                    const char *resnet_path, const char *mmod_path,
                                    char *error, size_t error_length);
void hs_face_models_free(hs_face_models *models);

/// A thread's own detectors and network (dlib's are not safe to share between threads).
hs_face_session *hs_face_session_new(const hs_face_models *models, char *error, size_t error_length);
void hs_face_session_free(hs_face_session *session);

/// Copies interleaved 8-bit RGB pixels (rows of `stride` bytes) into dlib's image type.
hs_face_image *hs_face_image_new(const uint8_t *rgb, int width, int height, size_t stride);
void hs_face_image_free(hs_face_image *image);

/// HOG frontal-face detection. Returns the number of faces found (at most `capacity` are written,
/// strongest first) or -1.
int hs_face_detect_hog(hs_face_session *session, const hs_face_image *image, int upsample,
                       double adjust_threshold, hs_face_box *faces, int capacity,
                       char *error, size_t error_length);

/// MMOD CNN detection: slower, but finds faces HOG misses (turned, partly cut off).
int hs_face_detect_cnn(hs_face_session *session, const hs_face_image *image, int upsample,
                       hs_face_box *faces, int capacity, char *error, size_t error_length);

/// Landmarks inside `box`: `count` is 5 or 68; writes `count` points. Returns 0 or -1.
int hs_face_landmarks(const hs_face_models *models, const hs_face_image *image, hs_face_box box,
                      int count, hs_face_point *points, char *error, size_t error_length);

/// Throws a non-standard C++ exception through the guard every call above uses; returns -1 with a
/// message when the guard holds (a test of the shim itself).
int hs_face_guard_probe(char *error, size_t error_length);

/// The 128-d descriptor of the face whose 5 landmarks are given (from hs_face_landmarks). Returns 0 or -1.
int hs_face_descriptor(hs_face_session *session, const hs_face_image *image, hs_face_box box,
                       const hs_face_point *landmarks5, float *descriptor128,
                       char *error, size_t error_length);

#ifdef __cplusplus
}
#endif

#endif
