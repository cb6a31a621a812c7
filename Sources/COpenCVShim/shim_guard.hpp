// Shared by the shim's C++ files: no C++ exception may cross into Swift.
#pragma once

#include <cstddef>
#include <cstdio>
#include <exception>

namespace hs {

inline void fail(char *error, size_t length, const char *what) {
    if (error && length > 0) std::snprintf(error, length, "%s", what);
}

/// Runs `body`, turning an exception into a non-zero return with its message in `error`.
template <class Body> int guarded(char *error, size_t length, Body body) {
    try {
        body();
        return 0;
    } catch (const std::exception &e) {
        fail(error, length, e.what());
        return 1;
    } catch (...) {
        fail(error, length, "unexpected error inside OpenCV");
        return 1;
    }
}

}  // namespace hs
