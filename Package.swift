// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "headshot-studio",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "headshot", targets: ["headshot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.34.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "headshot",
            dependencies: [.target(name: "App"), .target(name: "Imaging")],
            swiftSettings: swiftSettings
        ),
        // libvips (decode, orientation, colour, resize, encode) through a C shim for its variadic API.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        .target(
            name: "CVipsShim",
            dependencies: [.target(name: "CVips")],
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        // dlib is header templates: they are compiled here, always optimised, or detection and the
        // descriptor run 10–20× slower. BLAS is OpenBLAS through Debian's alternatives.
        .target(
            name: "CDlibShim",
            cxxSettings: [.unsafeFlags(dlibFlags)],
            linkerSettings: [
                .linkedLibrary("dlib"),
                .linkedLibrary("openblas"),
                .linkedLibrary("lapack"),
            ]
        ),
        // zlib's CRC-32 for the streamed ZIP bundles.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenCV 4.6: the person-segmentation network (dnn, ONNX) and the guided filter (ximgproc).
        .target(
            name: "COpenCVShim",
            cxxSettings: [.unsafeFlags(["-O2", "-I/usr/include/opencv4"])],
            linkerSettings: [
                .linkedLibrary("opencv_dnn"),
                .linkedLibrary("opencv_ximgproc"),
                .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_core"),
            ]
        ),
        .target(
            name: "Imaging",
            dependencies: [
                .target(name: "CVipsShim"),
                .target(name: "CDlibShim"),
                .target(name: "COpenCVShim"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make bench`: timings and peak memory printed as a table.
        .executableTarget(
            name: "headshot-bench",
            dependencies: [.target(name: "Imaging"), .target(name: "App")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "App",
            dependencies: [
                .target(name: "CZlib"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .target(name: "Imaging"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                .target(name: "App"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ImagingTests",
            dependencies: [.target(name: "Imaging")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

var swiftSettings: [SwiftSetting] {
    [.enableUpcomingFeature("ExistentialAny")]
}

/// Optimisation for the dlib shim in every configuration, plus AVX on x86-64 (dlib's SIMD paths).
var dlibFlags: [String] {
    #if arch(x86_64)
    ["-O3", "-DNDEBUG", "-mavx"]
    #else
    ["-O3", "-DNDEBUG"]
    #endif
}
