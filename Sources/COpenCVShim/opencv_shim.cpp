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
/// The network's mask is coarse (256 × 256): near the person's outline it keeps a band of the old
/// background (a halo of wall colour round the hair, lettering beside a shoulder). Within a band
/// around the outline the matte is worked out again from colour: the person's colour nearby (from
/// the mask's solid inside) and the background's (from its solid outside), and each pixel's place
/// on the line between the two (the usual colour-line estimate, as in sampling-based matting).
/// Where the two colours are alike the network's value stands.
void refine_by_colour(const cv::Mat &rgb, cv::Mat &alpha) {
    const int band = std::max(4, std::max(alpha.cols, alpha.rows) * 3 / 100);
    cv::Mat solid, core, reach;
    cv::threshold(alpha, solid, 127, 255, cv::THRESH_BINARY);
    const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * band + 1, 2 * band + 1));
    cv::erode(solid, core, disc);
    cv::dilate(solid, reach, disc);
    // Local colours of the person (core) and of the background (outside the reach), spread by a
    // weighted blur worked out at a quarter of the size.
    const cv::Size small(std::max(1, alpha.cols / 4), std::max(1, alpha.rows / 4));
    cv::Mat colours, personWeight, backgroundWeight;
    cv::resize(rgb, colours, small, 0, 0, cv::INTER_AREA);
    colours.convertTo(colours, CV_32FC3);
    cv::resize(core, personWeight, small, 0, 0, cv::INTER_AREA);
    personWeight.convertTo(personWeight, CV_32F, 1.0 / 255.0);
    cv::resize(255 - reach, backgroundWeight, small, 0, 0, cv::INTER_AREA);
    backgroundWeight.convertTo(backgroundWeight, CV_32F, 1.0 / 255.0);
    const double sigma = std::max(2.0, band / 4.0);
    auto spread = [&](const cv::Mat &weight) {
        cv::Mat planes[] = {weight, weight, weight}, weight3, sum, coverage, out;
        cv::merge(planes, 3, weight3);
        cv::multiply(colours, weight3, sum);
        cv::GaussianBlur(sum, sum, cv::Size(0, 0), sigma);
        cv::GaussianBlur(weight3, coverage, cv::Size(0, 0), sigma);
        coverage += 1e-3;
        cv::divide(sum, coverage, out);
        cv::resize(out, out, rgb.size(), 0, 0, cv::INTER_LINEAR);
        return out;
    };
    const cv::Mat person = spread(personWeight), background = spread(backgroundWeight);
    cv::Mat image;
    rgb.convertTo(image, CV_32FC3);
    // The photo's background and person colours as a few clusters each: a pixel inside the outline
    // whose colour is far nearer the background's than any of the person's (wall seen through a
    // gap between hair and neck) is background too.
    auto clusters = [&](const cv::Mat &weight) {
        std::vector<cv::Vec3f> samples;
        for (int y = 0; y < colours.rows; y += 2) {
            for (int x = 0; x < colours.cols; x += 2) {
                if (weight.at<float>(y, x) > 0.99f) samples.push_back(colours.at<cv::Vec3f>(y, x));
            }
        }
        cv::Mat centres;
        if (samples.size() < 64) return centres;
        cv::theRNG().state = 0x5eed;
        cv::Mat labels, data(static_cast<int>(samples.size()), 3, CV_32F, samples.data());
        cv::kmeans(data, 6, labels, cv::TermCriteria(cv::TermCriteria::COUNT + cv::TermCriteria::EPS, 10, 1.0), 1,
                   cv::KMEANS_PP_CENTERS, centres);
        return centres;
    };
    const cv::Mat personCentres = clusters(personWeight), backgroundCentres = clusters(backgroundWeight);
    auto nearest = [](const cv::Mat &centres, const cv::Vec3f &colour) {
        float best = 1e9f;
        for (int i = 0; i < centres.rows; i++) {
            const cv::Vec3f centre(centres.at<float>(i, 0), centres.at<float>(i, 1), centres.at<float>(i, 2));
            best = std::min(best, static_cast<float>(cv::norm(colour - centre)));
        }
        return best;
    };
    const bool classify = !personCentres.empty() && !backgroundCentres.empty();
    for (int y = 0; y < alpha.rows; y++) {
        const uint8_t *inCore = core.ptr<uint8_t>(y), *inReach = reach.ptr<uint8_t>(y);
        const cv::Vec3f *f = person.ptr<cv::Vec3f>(y), *b = background.ptr<cv::Vec3f>(y), *c = image.ptr<cv::Vec3f>(y);
        uint8_t *a = alpha.ptr<uint8_t>(y);
        for (int x = 0; x < alpha.cols; x++) {
            if (!inReach[x]) { a[x] = 0; continue; }
            // 0 for a background colour, 1 for a person's, from the clusters (r = d_b / (d_b + d_f)).
            float global = 1;
            if (classify) {
                const float db = nearest(backgroundCentres, c[x]), df = nearest(personCentres, c[x]);
                const float r = db / (db + df + 1e-3f);
                // Only a colour much nearer the background's than any of the person's counts (skin
                // against a pale wall is near both, and must stay person).
                global = std::min(1.0f, std::max(0.0f, (r - 0.04f) / 0.08f));
            }
            if (inCore[x]) { a[x] = cv::saturate_cast<uint8_t>(255.0f * global); continue; }
            const cv::Vec3f line = f[x] - b[x], offset = c[x] - b[x];
            const float length2 = line.dot(line);
            // Confidence: the two colours at least 40 levels apart count fully.
            const float confidence = std::min(1.0f, std::sqrt(length2) / 40.0f);
            if (confidence <= 0.05f) { a[x] = cv::saturate_cast<uint8_t>(a[x] * global); continue; }
            const float estimate = std::min(1.0f, std::max(0.0f, offset.dot(line) / length2));
            a[x] = cv::saturate_cast<uint8_t>(255.0f * global * (confidence * estimate + (1 - confidence) * (a[x] / 255.0f)));
        }
    }
}
}  // namespace hs

namespace hs {
/// Only the person stays: the largest region above one half and any region at least a fifth of its
/// size, with what lies close around them (hair); a patch of the old background the network or
/// the colour estimate half-took for a person (beside the head, behind a shoulder) goes.
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
        cv::Mat cleaned(matte_height, matte_width, CV_8UC1, matte);
        // Levels: the guided filter leaves a faint haze over background that resembles the person
        // in lightness (a glow around a white blouse, lettering on a wall); below 10 % is
        // background, above 90 % person.
        cleaned.convertTo(cleaned, CV_8U, 255.0 / (230.0 - 25.0), -25.0 * 255.0 / (230.0 - 25.0));
        hs::refine_by_colour(work, cleaned);
        hs::keep_the_person(cleaned);
        // The colour estimate is per pixel: a median takes out its speckle, the pipeline's feather does the rest.
        cv::medianBlur(cleaned, cleaned, 5);
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
