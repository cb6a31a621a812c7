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
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
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
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
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
        // OpenCV 4.6: the person-segmentation network (dnn, ONNX), the guided filter (ximgproc) and the
        // renderer's per-frame passes (imgproc); include paths and libraries from pkg-config.
        .systemLibrary(
            name: "COpenCV",
            pkgConfig: "opencv4",
            providers: [.apt(["libopencv-dev"])]
        ),
        .target(
            name: "COpenCVShim",
            dependencies: [.target(name: "COpenCV")],
            cxxSettings: [.unsafeFlags(["-O2"])]
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
        // Benchmarks live here, not in the shipped App module; they reach App's internals through
        // `package` access.
        .executableTarget(
            name: "headshot-bench",
            dependencies: [
                .target(name: "Imaging"),
                .target(name: "App"),
                .target(name: "HeadshotCore"),
                .target(name: "SiteRoutes"),
                .target(name: "BlobStorage"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Where photos and headshots are kept: encrypted local files or an S3-compatible bucket. No Vapor.
        .target(
            name: "BlobStorage",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Outgoing mail: the SMTP client (STARTTLS, AUTH) and the queue that sends after responses. No Vapor.
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // ZIP archives written as they stream (stored entries, data descriptors, zlib's CRC-32). No Vapor.
        .target(
            name: "Zip",
            dependencies: [.target(name: "CZlib"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Every path of the site and the API (`SiteURL`, `APIURL`): pure values, no Vapor; App registers
        // routes from them (`SitePath+Routes.swift`) and builds every link with them.
        .target(
            name: "SiteRoutes",
            swiftSettings: swiftSettings
        ),
        // The domain, by feature (Accounts, Orders, Payments, Delivery, Generation, Teams, Privacy, Support,
        // Work): models, migrations, services and their SQL. FluentKit, SQLKit and the drivers; never Vapor,
        // Fluent's Vapor provider, Plot or MultipartKit, so the compiler keeps the web edge out of it.
        .target(
            name: "HeadshotCore",
            dependencies: [
                .target(name: "SiteRoutes"),
                .target(name: "BlobStorage"),
                .target(name: "Mail"),
                .target(name: "Zip"),
                .target(name: "Imaging"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "App",
            dependencies: [
                .target(name: "HeadshotCore"),
                .target(name: "SiteRoutes"),
                .target(name: "BlobStorage"),
                .target(name: "Mail"),
                .target(name: "Zip"),
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
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                .target(name: "App"),
                .target(name: "HeadshotCore"),
                .target(name: "SiteRoutes"),
                .target(name: "BlobStorage"),
                .target(name: "Mail"),
                .target(name: "SMTPTestSupport"),
                .target(name: "HeadshotTestSupport"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The domain's suites: the core on a real database (SQLite, then PostgreSQL), no web server.
        .testTarget(
            name: "HeadshotCoreTests",
            dependencies: [
                .target(name: "HeadshotCore"),
                .target(name: "HeadshotTestSupport"),
                .target(name: "BlobStorage"),
                .target(name: "Imaging"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the app's and the core's tests share: a fresh database per test, the core's test world
        // (`withCoreTestApp`), fixtures and helpers.
        .target(
            name: "HeadshotTestSupport",
            dependencies: [
                .target(name: "HeadshotCore"),
                .target(name: "BlobStorage"),
                .target(name: "Mail"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .target(name: "Imaging"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BlobStorageTests",
            dependencies: [
                .target(name: "BlobStorage"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MailTests",
            dependencies: [.target(name: "Mail"), .target(name: "SMTPTestSupport"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // What the app's and the mail library's tests know about the SMTP test server `make test` starts.
        .target(
            name: "SMTPTestSupport",
            path: "Tests/SMTPTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ZipTests",
            dependencies: [.target(name: "Zip"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ImagingTests",
            dependencies: [.target(name: "Imaging"), .target(name: "CDlibShim"), .target(name: "COpenCVShim")],
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
