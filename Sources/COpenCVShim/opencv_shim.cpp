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

extern "C" int hs_guided_filter(const uint8_t *rgb, const uint8_t *mask, int width, int height, int radius, double epsilon,
                                uint8_t *out, char *error, size_t error_length) {
    try {
        const cv::Mat guide(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
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

extern "C" int hs_blend(const uint8_t *a, const uint8_t *b, const uint8_t *weight, int width, int height, uint8_t *out,
                        char *error, size_t error_length) {
    try {
        const cv::Mat first(height, width, CV_8UC3, const_cast<uint8_t *>(a));
        const cv::Mat second(height, width, CV_8UC3, const_cast<uint8_t *>(b));
        const cv::Mat bytes(height, width, CV_8UC1, const_cast<uint8_t *>(weight));
        cv::Mat wa, wb;
        bytes.convertTo(wa, CV_32F, 1.0 / 255.0);
        cv::subtract(cv::Scalar(1.0), wa, wb);
        cv::Mat target(height, width, CV_8UC3, out);
        cv::blendLinear(first, second, wa, wb, target);
        return 0;
    } catch (const std::exception &e) {
        fail(error, error_length, e.what());
        return 1;
    }
}
