#include "opencv_shim.h"

#include <cstdio>
#include <exception>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>

namespace {
constexpr int kSide = 256;

void fail(char *error, size_t length, const char *what) {
    if (error && length > 0) std::snprintf(error, length, "%s", what);
}
}  // namespace

struct hs_segmenter {
    cv::dnn::Net net;
};

extern "C" int hs_segmenter_side(void) { return kSide; }

extern "C" hs_segmenter *hs_segmenter_open(const char *model_path, char *error, size_t error_length) {
    try {
        // Photos are processed in parallel, one per thread; OpenCV's own pool would only contend.
        cv::setNumThreads(1);
        auto *segmenter = new hs_segmenter{cv::dnn::readNetFromONNX(model_path)};
        segmenter->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        segmenter->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        if (segmenter->net.empty()) {
            delete segmenter;
            fail(error, error_length, "the segmentation network is empty");
            return nullptr;
        }
        return segmenter;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return nullptr;
    }
}

extern "C" void hs_segmenter_close(hs_segmenter *segmenter) { delete segmenter; }

extern "C" int hs_segmenter_run(hs_segmenter *segmenter, const uint8_t *rgb, float *mask, char *error, size_t error_length) {
    try {
        const cv::Mat image(kSide, kSide, CV_8UC3, const_cast<uint8_t *>(rgb));
        // NCHW float input in [0, 1], RGB order kept (the network was trained on RGB).
        cv::Mat blob = cv::dnn::blobFromImage(image, 1.0 / 255.0, cv::Size(kSide, kSide), cv::Scalar(), false, false, CV_32F);
        segmenter->net.setInput(blob, "input");
        cv::Mat out = segmenter->net.forward("mask");
        if (out.total() != static_cast<size_t>(kSide * kSide)) {
            fail(error, error_length, "the segmentation network gave an output of the wrong size");
            return 1;
        }
        std::copy(out.ptr<float>(), out.ptr<float>() + kSide * kSide, mask);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}

extern "C" int hs_guided_filter(const uint8_t *pixels, int channels, const uint8_t *mask, int width, int height, int radius,
                                double epsilon, uint8_t *out, char *error, size_t error_length) {
    try {
        const cv::Mat guide(height, width, channels == 1 ? CV_8UC1 : CV_8UC3, const_cast<uint8_t *>(pixels));
        const cv::Mat source(height, width, CV_8UC1, const_cast<uint8_t *>(mask));
        cv::Mat result(height, width, CV_8UC1, out);
        cv::ximgproc::guidedFilter(guide, source, result, radius, epsilon * 255.0 * 255.0, CV_8U);
        if (result.data != out) result.copyTo(cv::Mat(height, width, CV_8UC1, out));
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}

extern "C" int hs_fill_polygons(uint8_t *mask, int width, int height, const double *points, const int *counts, int polygons,
                                uint8_t value, char *error, size_t error_length) {
    try {
        cv::Mat target(height, width, CV_8UC1, mask);
        std::vector<std::vector<cv::Point>> shapes;
        size_t offset = 0;
        // Sub-pixel vertices (4 fractional bits) so small polygons keep their shape.
        constexpr int shift = 4;
        for (int polygon = 0; polygon < polygons; polygon++) {
            std::vector<cv::Point> shape;
            for (int i = 0; i < counts[polygon]; i++, offset++) {
                shape.emplace_back(cvRound(points[2 * offset] * (1 << shift)), cvRound(points[2 * offset + 1] * (1 << shift)));
            }
            shapes.push_back(std::move(shape));
        }
        cv::fillPoly(target, shapes, cv::Scalar(value), cv::LINE_AA, shift);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}

extern "C" int hs_bilateral(const uint8_t *rgb, int width, int height, int diameter, double sigma_colour, double sigma_space,
                            uint8_t *out, char *error, size_t error_length) {
    try {
        const cv::Mat source(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat target(height, width, CV_8UC3, out);
        cv::bilateralFilter(source, target, diameter, sigma_colour, sigma_space);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}

extern "C" int hs_composite(const uint8_t *person, const uint8_t *background, const uint8_t *matte, int width, int height,
                            const uint8_t *spread, int spread_width, int spread_height, uint8_t *out, char *error,
                            size_t error_length) {
    try {
        const cv::Mat front(height, width, CV_8UC3, const_cast<uint8_t *>(person));
        const cv::Mat back(height, width, CV_8UC3, const_cast<uint8_t *>(background));
        const cv::Mat alphaBytes(height, width, CV_8UC1, const_cast<uint8_t *>(matte));
        const cv::Mat small(spread_height, spread_width, CV_8UC3, const_cast<uint8_t *>(spread));
        cv::Mat spreadFull, alpha, trust, rest, cleaned;
        cv::resize(small, spreadFull, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        alphaBytes.convertTo(alpha, CV_32F, 1.0 / 255.0);
        cv::multiply(alpha, alpha, trust);
        cv::subtract(cv::Scalar(1.0), trust, rest);
        cv::blendLinear(front, spreadFull, trust, rest, cleaned);
        cv::subtract(cv::Scalar(1.0), alpha, rest);
        cv::Mat target(height, width, CV_8UC3, out);
        cv::blendLinear(cleaned, back, alpha, rest, target);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}

extern "C" int hs_backdrop(const float *gradient, int small_width, int small_height, int width, int height, double grain, int seed,
                           uint8_t *out, char *error, size_t error_length) {
    try {
        const cv::Mat small(small_height, small_width, CV_32FC3, const_cast<float *>(gradient));
        cv::Mat full, noise(height, width, CV_32FC3);
        cv::resize(small, full, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        cv::RNG rng(static_cast<uint64_t>(seed) * 2654435761u + 1);
        // One grain value per pixel, the same in every channel (luminance grain, no colour speckle).
        cv::Mat mono(height, width, CV_32FC1);
        rng.fill(mono, cv::RNG::NORMAL, 0.0, grain);
        cv::Mat planes[] = {mono, mono, mono};
        cv::merge(planes, 3, noise);
        full += noise;
        cv::Mat target(height, width, CV_8UC3, out);
        full.convertTo(target, CV_8U);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}
