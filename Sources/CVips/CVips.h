// libvips from Debian's libvips-dev (8.14). Swift never calls it directly: libvips' API is
// mostly variadic, so CVipsShim wraps the calls we use in plain C functions.
#include <vips/vips.h>
