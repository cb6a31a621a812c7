#include "opencv_shim.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>

#include "shim_guard.hpp"

namespace {
/// The side of the square input the network takes.
constexpr int kSide = 256;
/// `cv::setNumThreads` reconfigures OpenCV's process-wide thread pool (TBB's arena here): called by
/// several threads opening their networks at once, it crashed inside libtbb. It runs once per process.
std::once_flag threads_configured;
}  // namespace

struct hs_segmenter {
    cv::dnn::Net net;
};

extern "C" hs_segmenter *hs_segmenter_open(const char *model_path, char *error, size_t error_length) {
    hs_segmenter *segmenter = nullptr;
    hs::guarded(error, error_length, [&] {
        // Photos are processed in parallel, one per thread; OpenCV's own pool would only contend.
        std::call_once(threads_configured, [] { cv::setNumThreads(1); });
        auto net = cv::dnn::readNetFromONNX(model_path);
        if (net.empty()) throw std::runtime_error("the segmentation network is empty");
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        segmenter = new hs_segmenter{net};
    });
    return segmenter;
}

extern "C" void hs_segmenter_close(hs_segmenter *segmenter) { delete segmenter; }

extern "C" int hs_segmenter_matte(hs_segmenter *segmenter, const uint8_t *rgb, int width, int height, uint8_t *matte,
                                  int matte_width, int matte_height, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat photo(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        // Down to the matte's size: halved by Gaussian pyramid steps while that stays above it, then
        // bilinear for the rest (several times cheaper than one area resize by a fractional factor).
        cv::Mat work = photo;
        while (work.cols >= 2 * matte_width && work.rows >= 2 * matte_height) cv::pyrDown(work, work);
        if (work.cols != matte_width || work.rows != matte_height) {
            cv::resize(work, work, cv::Size(matte_width, matte_height), 0, 0, cv::INTER_LINEAR);
        }
        // NCHW float input in [0, 1], RGB order kept (the network was trained on RGB).
        cv::Mat input;
        cv::resize(work, input, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
        cv::Mat blob = cv::dnn::blobFromImage(input, 1.0 / 255.0, cv::Size(kSide, kSide), cv::Scalar(), false, false, CV_32F);
        segmenter->net.setInput(blob, "input");
        cv::Mat out = segmenter->net.forward("mask");
        if (out.total() != static_cast<size_t>(kSide * kSide)) {
            throw std::runtime_error("the segmentation network gave an output of the wrong size");
        }
        const cv::Mat probabilities(kSide, kSide, CV_32FC1, out.ptr<float>());
        cv::Mat coarse, coarseBytes;
        cv::resize(probabilities, coarse, work.size(), 0, 0, cv::INTER_LINEAR);
        coarse.convertTo(coarseBytes, CV_8U, 255.0);
        // The guided filter pulls the coarse mask onto the photo's real edges (hair, shoulders). A
        // grey guide: those edges are edges in lightness too, and the one-channel filter is several
        // times cheaper than the colour one.
        cv::Mat grey;
        cv::cvtColor(work, grey, cv::COLOR_RGB2GRAY);
        const int radius = std::max(4, std::max(matte_width, matte_height) / 128);
        cv::Mat refined(matte_height, matte_width, CV_8UC1, matte);
        cv::ximgproc::guidedFilter(grey, coarseBytes, refined, radius, 1e-3 * 255.0 * 255.0, CV_8U);
        if (refined.data != matte) refined.copyTo(cv::Mat(matte_height, matte_width, CV_8UC1, matte));
    });
}

extern "C" int hs_fill_polygons(uint8_t *mask, int width, int height, const double *points, const int *counts, int polygons,
                                uint8_t value, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
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
    });
}

extern "C" int hs_bilateral(const uint8_t *rgb, int width, int height, int diameter, double sigma_colour, double sigma_space,
                            uint8_t *out, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat source(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat target(height, width, CV_8UC3, out);
        cv::bilateralFilter(source, target, diameter, sigma_colour, sigma_space);
    });
}

extern "C" int hs_opencv_guard_probe(char *error, size_t error_length) {
    return hs::guarded(error, error_length, [] { throw 42; });
}
