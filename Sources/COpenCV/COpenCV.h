// OpenCV 4 through pkg-config (opencv4.pc): this module carries its include path and libraries to
// COpenCVShim, whose C++ uses the headers; Swift sees only the shim's plain C functions.
