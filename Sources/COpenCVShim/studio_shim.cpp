#include "studio_shim.h"

#include <algorithm>
#include <malloc.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "shim_guard.hpp"

namespace {
int bytes(int channels) { return CV_8UC(channels); }

/// A one-channel float image as three identical channels (for per-pixel weights of an RGB image).
cv::Mat threeOf(const cv::Mat &single) {
    cv::Mat planes[] = {single, single, single}, out;
    cv::merge(planes, 3, out);
    return out;
}
}  // namespace

extern "C" int hs_warp(const uint8_t *source, int source_width, int source_height, int channels, const double matrix[6], int extend,
                       uint8_t *out, int width, int height, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat in(source_height, source_width, bytes(channels), const_cast<uint8_t *>(source));
        const cv::Mat map = (cv::Mat_<double>(2, 3) << matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5]);
        cv::Mat target(height, width, bytes(channels), out);
        cv::warpAffine(in, target, map, target.size(), cv::INTER_LINEAR,
                       extend == HS_EXTEND_MIRROR ? cv::BORDER_REFLECT_101 : cv::BORDER_REPLICATE);
    });
}

extern "C" int hs_blur(uint8_t *pixels, int width, int height, int channels, double sigma, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat image(height, width, bytes(channels), pixels);
        cv::GaussianBlur(image, image, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
    });
}

extern "C" int hs_lookup(uint8_t *rgb, int width, int height, const uint8_t *tables, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat image(height, width, CV_8UC3, rgb);
        cv::Mat planes[] = {cv::Mat(1, 256, CV_8UC1, const_cast<uint8_t *>(tables)),
                            cv::Mat(1, 256, CV_8UC1, const_cast<uint8_t *>(tables + 256)),
                            cv::Mat(1, 256, CV_8UC1, const_cast<uint8_t *>(tables + 512))};
        cv::Mat table;
        cv::merge(planes, 3, table);
        cv::LUT(image, table, image);
    });
}

extern "C" int hs_multiply_field(uint8_t *pixels, int width, int height, int channels, int x, int y, int region_width,
                                 int region_height, const float *field, int field_width, int field_height, char *error,
                                 size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat image(height, width, bytes(channels), pixels);
        cv::Mat region = image(cv::Rect(x, y, region_width, region_height));
        const cv::Mat small(field_height, field_width, CV_32FC1, const_cast<float *>(field));
        cv::Mat gain;
        cv::resize(small, gain, region.size(), 0, 0, cv::INTER_LINEAR);
        // Plane by plane, bytes times floats converted in small blocks inside OpenCV: no full-size
        // three-channel float copy of the frame is ever made.
        std::vector<cv::Mat> planes;
        cv::split(region, planes);
        for (auto &plane : planes) cv::multiply(plane, gain, plane, 1.0, CV_8U);
        cv::merge(planes, region);
    });
}

extern "C" int hs_monochrome(uint8_t *rgb, int width, int height, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat image(height, width, CV_8UC3, rgb), grey;
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        cv::cvtColor(grey, image, cv::COLOR_GRAY2RGB);
    });
}

extern "C" int hs_decontaminate(uint8_t *rgb, int width, int height, const uint8_t *matte, int matte_width, int matte_height,
                                int spread_shrink, double spread_sigma, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat photo(height, width, CV_8UC3, rgb);
        const cv::Mat smallMatte(matte_height, matte_width, CV_8UC1, const_cast<uint8_t *>(matte));
        // The spread colour only matters at the soft edge and is smooth: worked out small.
        const cv::Size small(std::max(1, width / spread_shrink), std::max(1, height / spread_shrink));
        cv::Mat colours, weight, coverage, spreadSmall;
        cv::resize(photo, colours, small, 0, 0, cv::INTER_AREA);
        colours.convertTo(colours, CV_32F);
        cv::resize(smallMatte, weight, small, 0, 0, cv::INTER_AREA);
        weight.convertTo(weight, CV_32F, 1.0 / 255.0);
        cv::multiply(colours, threeOf(weight), colours);
        cv::GaussianBlur(colours, colours, cv::Size(0, 0), spread_sigma, spread_sigma, cv::BORDER_REPLICATE);
        cv::GaussianBlur(weight, coverage, cv::Size(0, 0), spread_sigma, spread_sigma, cv::BORDER_REPLICATE);
        coverage += 1e-3;
        cv::divide(colours, threeOf(coverage), spreadSmall);
        spreadSmall.convertTo(spreadSmall, CV_8U);

        cv::Mat spread, alpha, trust, rest;
        cv::resize(spreadSmall, spread, photo.size(), 0, 0, cv::INTER_LINEAR);
        cv::resize(smallMatte, alpha, photo.size(), 0, 0, cv::INTER_LINEAR);
        alpha.convertTo(alpha, CV_32F, 1.0 / 255.0);
        cv::multiply(alpha, alpha, trust);
        cv::subtract(cv::Scalar(1.0), trust, rest);
        cv::blendLinear(photo, spread, trust, rest, photo);
    });
}

extern "C" int hs_over(const uint8_t *person, const uint8_t *background, const uint8_t *matte, int width, int height, uint8_t *out,
                       char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat front(height, width, CV_8UC3, const_cast<uint8_t *>(person));
        const cv::Mat back(height, width, CV_8UC3, const_cast<uint8_t *>(background));
        const cv::Mat alphaBytes(height, width, CV_8UC1, const_cast<uint8_t *>(matte));
        cv::Mat alpha, rest;
        alphaBytes.convertTo(alpha, CV_32F, 1.0 / 255.0);
        cv::subtract(cv::Scalar(1.0), alpha, rest);
        cv::Mat target(height, width, CV_8UC3, out);
        cv::blendLinear(front, back, alpha, rest, target);
    });
}

extern "C" int hs_grain(float *out, int width, int height, double sigma, int seed, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat noise(height, width, CV_32FC1, out);
        cv::RNG rng(static_cast<uint64_t>(seed) * 2654435761u + 1);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
    });
}

extern "C" int hs_backdrop(const float *shade, int small_width, int small_height, const double from[3], const double to[3],
                           const float *grain, int grain_width, int width, int height, uint8_t *out, char *error,
                           size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat small(small_height, small_width, CV_32FC1, const_cast<float *>(shade));
        const cv::Mat noise(height, width, CV_32FC1, const_cast<float *>(grain), static_cast<size_t>(grain_width) * sizeof(float));
        cv::Mat t, level;
        cv::resize(small, t, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        // Channel c = from[c] + (to[c] − from[c])·t + grain: the same grain in every channel
        // (luminance grain, no colour speckle), rounded to bytes.
        cv::Mat planes[3];
        for (int c = 0; c < 3; c++) {
            cv::scaleAdd(t, to[c] - from[c], noise, level);
            level.convertTo(planes[c], CV_8U, 1.0, from[c]);
        }
        cv::Mat target(height, width, CV_8UC3, out);
        cv::merge(planes, 3, target);
    });
}

extern "C" void hs_keep_large_buffers(void) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}
