import COpenCVShim

/// Keeps the memory of large image buffers inside the process once freed, instead of handing it
/// back to the kernel after each headshot. A headshot allocates and frees some tens of megabytes of
/// frames and temporaries; glibc serves blocks above 128 KB with fresh mmap()s and unmaps them on
/// free, so every page of every frame was faulted in and zeroed by the kernel again, each time.
public enum LargeBuffers {
    /// Process-wide; called once by the executables before work starts.
    public static func keepInProcess() {
        hs_keep_large_buffers()
    }
}
