// zlib, for the CRC-32 that every ZIP entry carries.
#include <zlib.h>
