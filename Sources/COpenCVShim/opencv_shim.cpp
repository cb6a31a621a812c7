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

namespace hs {
/// The network's mask is coarse (256 × 256): along the person's outline it is a soft band that
/// holds old background (a halo of wall round the hair, lettering beside a shoulder) and can bite
/// into a cheek. The outline is found again by GrabCut (colour models of person and background
/// and a graph cut along the photo's own edges), seeded from the network: where it is sure (above
/// 90 % or below 10 %, eroded) the seed is fixed, between it says which side is likely. It runs at
/// a quarter of the matte's side (at most 256 px: tens of milliseconds), two iterations.
/// Returns the hard mask (0 or 255) at `small`'s size.
cv::Mat cut_along_edges(const cv::Mat &small, const cv::Mat &probabilities) {
    cv::Mat seeds(small.size(), CV_8UC1);
    cv::Mat sure_person = probabilities > 0.9f, sure_background = probabilities < 0.1f;
    const int margin = std::max(2, std::max(small.cols, small.rows) / 40);
    const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1));
    cv::erode(sure_person, sure_person, disc);
    cv::erode(sure_background, sure_background, disc);
    for (int y = 0; y < seeds.rows; y++) {
        const float *p = probabilities.ptr<float>(y);
        const uint8_t *person = sure_person.ptr<uint8_t>(y), *background = sure_background.ptr<uint8_t>(y);
        uint8_t *seed = seeds.ptr<uint8_t>(y);
        for (int x = 0; x < seeds.cols; x++) {
            seed[x] = person[x] ? cv::GC_FGD : background[x] ? cv::GC_BGD : p[x] > 0.5f ? cv::GC_PR_FGD : cv::GC_PR_BGD;
        }
    }
    // GrabCut needs both colour models: a photo the network calls all person or all background
    // keeps the network's own answer.
    const bool both = cv::countNonZero(seeds == cv::GC_FGD) > 64 && cv::countNonZero(seeds == cv::GC_BGD) > 64;
    if (both) {
        cv::Mat background_model, person_model;
        // GrabCut's colour models start from k-means with OpenCV's global generator: seeded, so a
        // photo gives the same matte every time (renders are reproducible).
        cv::theRNG().state = 0x5eed;
        cv::grabCut(small, seeds, cv::Rect(), background_model, person_model, 2, cv::GC_INIT_WITH_MASK);
    }
    cv::Mat hard = (seeds == cv::GC_FGD) | (seeds == cv::GC_PR_FGD);
    // Small holes the network called person (an earring, a strand's gap the colour models gave
    // the background because its colour is the wall's) are person again; a large one (the gap
    // between an arm and the body) or one the network too saw as background stays open.
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(255 - hard, labels, stats, centroids, 4, CV_32S);
    const int area = cv::countNonZero(hard);
    for (int label = 1; label < count; label++) {
        const int x = stats.at<int>(label, cv::CC_STAT_LEFT), y = stats.at<int>(label, cv::CC_STAT_TOP);
        const int w = stats.at<int>(label, cv::CC_STAT_WIDTH), h = stats.at<int>(label, cv::CC_STAT_HEIGHT);
        if (x == 0 || y == 0 || x + w == hard.cols || y + h == hard.rows) continue;
        if (stats.at<int>(label, cv::CC_STAT_AREA) * 100 >= area) continue;
        const cv::Mat hole = labels == label;
        if (cv::mean(probabilities, hole)[0] > 0.5) hard.setTo(255, hole);
    }
    return hard;
}
}  // namespace hs

namespace hs {
/// Only the person stays: the largest region above one half and any region at least a fifth of its
/// size, with what lies close around them (hair); a patch of the old background the network or
/// the cut half-took for a person (beside the head, behind a shoulder) goes.
void keep_the_person(cv::Mat &alpha) {
    cv::Mat solid, labels, stats, centroids;
    cv::threshold(alpha, solid, 127, 255, cv::THRESH_BINARY);
    const int count = cv::connectedComponentsWithStats(solid, labels, stats, centroids, 8, CV_32S);
    if (count <= 2) return;
    int largest = 0;
    for (int label = 1; label < count; label++) largest = std::max(largest, stats.at<int>(label, cv::CC_STAT_AREA));
    cv::Mat keep = cv::Mat::zeros(solid.size(), CV_8UC1);
    for (int label = 1; label < count; label++) {
        if (stats.at<int>(label, cv::CC_STAT_AREA) * 5 >= largest) keep.setTo(255, labels == label);
    }
    const int grow = std::max(3, std::max(alpha.cols, alpha.rows) / 60);
    cv::dilate(keep, keep, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * grow + 1, 2 * grow + 1)));
    cv::GaussianBlur(keep, keep, cv::Size(0, 0), grow / 2.0);
    cv::multiply(alpha, keep, alpha, 1.0 / 255.0, CV_8U);
}
}  // namespace hs

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
        // The cut at a quarter of the matte's side, then brought up to it by a colour guided filter:
        // the hard outline follows the photo's edges there and gets their softness (hair, a blurred
        // shoulder) instead of a staircase.
        const cv::Size quarter(std::max(1, work.cols / 4), std::max(1, work.rows / 4));
        cv::Mat small, coarse;
        cv::resize(work, small, quarter, 0, 0, cv::INTER_AREA);
        cv::resize(probabilities, coarse, quarter, 0, 0, cv::INTER_LINEAR);
        cv::Mat hard = hs::cut_along_edges(small, coarse);
        cv::resize(hard, hard, work.size(), 0, 0, cv::INTER_LINEAR);
        cv::Mat cleaned(matte_height, matte_width, CV_8UC1, matte);
        const int radius = std::max(2, std::max(matte_width, matte_height) / 150);
        cv::Mat refined;
        cv::ximgproc::guidedFilter(work, hard, refined, radius, 1e-3 * 255.0 * 255.0, CV_8U);
        refined.copyTo(cleaned);
        hs::keep_the_person(cleaned);
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
