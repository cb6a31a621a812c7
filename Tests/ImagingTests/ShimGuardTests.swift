import CDlibShim
import COpenCVShim
import Testing

/// A C++ exception that is not a `std::exception` (dlib and OpenCV may throw anything their
/// dependencies throw) must come back as an error code, never unwind into Swift and abort the process.
@Suite("C++ shims never let an exception into Swift") struct ShimGuardTests {
    @Test func dlibShimTurnsANonStandardExceptionIntoAnError() {
        var error = [CChar](repeating: 0, count: 256)
        #expect(hs_face_guard_probe(&error, error.count) == -1)
        #expect(String(cString: error).contains("unexpected error"))
    }

    @Test func openCVShimTurnsANonStandardExceptionIntoAnError() {
        var error = [CChar](repeating: 0, count: 256)
        #expect(hs_opencv_guard_probe(&error, error.count) != 0)
        #expect(String(cString: error).contains("unexpected error"))
    }
}
