#include "studio_shim.h"

#include <algorithm>
#include <malloc.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/quality/qualityssim.hpp>

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
        // The person's colour nearby (from the solid inside, matte above 85 %) and the old
        // background's (matte below 5 %, spread four times wider), worked out small: both only
        // matter near the outline and are smooth.
        const cv::Size small(std::max(1, width / spread_shrink), std::max(1, height / spread_shrink));
        cv::Mat colours, matteSmall;
        cv::resize(photo, colours, small, 0, 0, cv::INTER_AREA);
        colours.convertTo(colours, CV_32F);
        cv::resize(smallMatte, matteSmall, small, 0, 0, cv::INTER_AREA);
        auto spread = [&](double scale, double shift, double sigma, cv::Mat &coverage) {
            cv::Mat weight, sum, out;
            matteSmall.convertTo(weight, CV_32F, scale, shift);
            cv::threshold(weight, weight, 0.0, 0.0, cv::THRESH_TOZERO);
            cv::threshold(weight, weight, 1.0, 1.0, cv::THRESH_TRUNC);
            // Only from well inside each side: the matte is coarser than the photo, and its solid
            // region can still hold a mixed pixel or two along the outline.
            cv::erode(weight, weight, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
            cv::multiply(colours, threeOf(weight), sum);
            cv::GaussianBlur(sum, sum, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
            cv::GaussianBlur(weight, coverage, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
            cv::divide(sum, threeOf(coverage + 1e-3), out);
            cv::resize(out, out, photo.size(), 0, 0, cv::INTER_LINEAR);
            cv::resize(coverage, coverage, photo.size(), 0, 0, cv::INTER_LINEAR);
            return out;
        };
        cv::Mat personCoverage, backgroundCoverage;
        const cv::Mat person = spread(1.0 / (255.0 * 0.15), -0.85 / 0.15, spread_sigma, personCoverage);
        const cv::Mat nearBackground = spread(-1.0 / (255.0 * 0.05), 1.0, 4 * spread_sigma, backgroundCoverage);
        // Where no background lies that near (a gap between hair and ear, closed off by the
        // outline at the matte's size), the background's colour from further away.
        cv::Mat wideCoverage;
        const cv::Mat wideBackground = spread(-1.0 / (255.0 * 0.05), 1.0, 12 * spread_sigma, wideCoverage);
        cv::Mat nearWeight, background;
        cv::min(backgroundCoverage * 4.0, 1.0, nearWeight);
        cv::blendLinear(nearBackground, wideBackground, nearWeight, 1.0 - nearWeight, background);
        cv::Mat known;
        cv::max(backgroundCoverage, wideCoverage, known);
        cv::Mat alpha;
        cv::resize(smallMatte, alpha, photo.size(), 0, 0, cv::INTER_LINEAR);
        // Per pixel: the photo's own colour counts only where the matte is nearly solid (85 % to
        // full, squared) and where the colour itself lies on the person's side of the line from
        // the background's colour to the person's (a sliver of wall between strands of hair that
        // the matte, at its coarser size, calls person); elsewhere the person's colour nearby.
        for (int y = 0; y < height; y++) {
            cv::Vec3b *c = photo.ptr<cv::Vec3b>(y);
            const cv::Vec3f *f = person.ptr<cv::Vec3f>(y), *b = background.ptr<cv::Vec3f>(y);
            const float *reach = known.ptr<float>(y);
            const uint8_t *a = alpha.ptr<uint8_t>(y);
            for (int x = 0; x < width; x++) {
                float trust = std::min(1.0f, std::max(0.0f, (a[x] / 255.0f - 0.85f) / 0.15f));
                trust *= trust;
                // (Background pixels too: the feather reaches a pixel or two past the outline.)
                const cv::Vec3f colour(c[x][0], c[x][1], c[x][2]), line = f[x] - b[x];
                const float length2 = line.dot(line);
                const float confidence = std::min(1.0f, std::sqrt(length2) / 40.0f) * std::min(1.0f, 4.0f * reach[x]);
                if (confidence > 0.05f) {
                    const float estimate = std::min(1.0f, std::max(0.0f, (colour - b[x]).dot(line) / length2));
                    const float t = std::min(1.0f, std::max(0.0f, (estimate - 0.6f) / 0.35f));
                    trust *= confidence * (t * t * (3 - 2 * t)) + (1 - confidence);
                }
                const cv::Vec3f mixed = trust * colour + (1 - trust) * f[x];
                c[x] = cv::Vec3b(cv::saturate_cast<uint8_t>(mixed[0]), cv::saturate_cast<uint8_t>(mixed[1]), cv::saturate_cast<uint8_t>(mixed[2]));
            }
        }
    });
}

extern "C" int hs_rim(uint8_t *rgb, const uint8_t *matte, int width, int height, int towards_right, double strength, char *error,
                      size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat person(height, width, CV_8UC3, rgb);
        const cv::Mat alpha(height, width, CV_8UC1, const_cast<uint8_t *>(matte));
        // The band of the person along the silhouette's side facing the rim light: the matte minus
        // itself moved a little towards the light, softened.
        const int band = std::max(2, width / 160);
        cv::Mat shifted = cv::Mat::zeros(alpha.size(), CV_8UC1), rim;
        if (towards_right) {
            alpha(cv::Rect(band, 0, width - band, height)).copyTo(shifted(cv::Rect(0, 0, width - band, height)));
        } else {
            alpha(cv::Rect(0, 0, width - band, height)).copyTo(shifted(cv::Rect(band, 0, width - band, height)));
        }
        cv::subtract(alpha, shifted, rim);
        cv::GaussianBlur(rim, rim, cv::Size(0, 0), band / 2.0);
        // Lighter towards white by the rim's strength (screen-like, never clipping): p + (255 - p)·w.
        // Only the band's pixels change, so only they are worked on (whole-frame float copies of a
        // 1600×2000 headshot cost ~150 ms; the band is a few percent of it).
        const float scale = static_cast<float>(strength / 255.0);
        for (int y = 0; y < height; y++) {
            const uint8_t *weights = rim.ptr<uint8_t>(y);
            uint8_t *pixels = person.ptr<uint8_t>(y);
            for (int x = 0; x < width; x++) {
                if (weights[x] == 0) continue;
                const float weight = weights[x] * scale;
                for (int c = 3 * x; c < 3 * x + 3; c++) {
                    pixels[c] = cv::saturate_cast<uint8_t>(pixels[c] + (255.0f - pixels[c]) * weight);
                }
            }
        }
    });
}

extern "C" int hs_draw_scene(uint8_t *rgb, int width, int height, const double *shapes, int count, double blur_sigma, char *error,
                             size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        cv::Mat canvas(height, width, CV_8UC3, rgb), layer;
        // Each shape: kind (0 rectangle, 1 ellipse), x, y, width, height (an ellipse's box), r, g, b, opacity.
        for (int i = 0; i < count; i++) {
            const double *shape = shapes + 9 * i;
            const cv::Scalar colour(shape[5], shape[6], shape[7]);
            const double opacity = shape[8];
            canvas.copyTo(layer);
            if (shape[0] == 0) {
                cv::rectangle(layer, cv::Point2d(shape[1], shape[2]), cv::Point2d(shape[1] + shape[3], shape[2] + shape[4]), colour,
                              cv::FILLED, cv::LINE_AA);
            } else {
                cv::ellipse(layer, cv::RotatedRect(cv::Point2f(shape[1] + shape[3] / 2, shape[2] + shape[4] / 2),
                                                   cv::Size2f(shape[3], shape[4]), 0), colour, cv::FILLED, cv::LINE_AA);
            }
            cv::addWeighted(layer, opacity, canvas, 1.0 - opacity, 0.0, canvas);
        }
        if (blur_sigma > 0) cv::GaussianBlur(canvas, canvas, cv::Size(0, 0), blur_sigma, blur_sigma, cv::BORDER_REPLICATE);
    });
}

extern "C" int hs_enlarge_grained(const uint8_t *small, int small_width, int small_height, const float *grain, int grain_width,
                                  uint8_t *out, int width, int height, char *error, size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat in(small_height, small_width, CV_8UC3, const_cast<uint8_t *>(small));
        const cv::Mat noise(height, width, CV_32FC1, const_cast<float *>(grain), static_cast<size_t>(grain_width) * sizeof(float));
        cv::Mat large, sum;
        cv::resize(in, large, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
        large.convertTo(sum, CV_32FC3);
        sum += threeOf(noise);
        cv::Mat target(height, width, CV_8UC3, out);
        sum.convertTo(target, CV_8UC3);
    });
}

extern "C" int hs_grey_thumbnail(const uint8_t *rgb, int width, int height, uint8_t *out, int out_width, int out_height, char *error,
                                 size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat image(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat grey, target(out_height, out_width, CV_8UC1, out);
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
        cv::resize(grey, target, target.size(), 0, 0, cv::INTER_AREA);
    });
}

extern "C" int hs_ssim(const uint8_t *first, const uint8_t *second, int width, int height, double *similarity, char *error,
                       size_t error_length) {
    return hs::guarded(error, error_length, [&] {
        const cv::Mat a(height, width, CV_8UC1, const_cast<uint8_t *>(first));
        const cv::Mat b(height, width, CV_8UC1, const_cast<uint8_t *>(second));
        *similarity = cv::quality::QualitySSIM::compute(a, b, cv::noArray())[0];
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
