import HeadshotCore
import Vapor

struct PresetDTO: Content {
    let code: String
    let name: String
    let description: String
    /// A real render in this style (see `StylePreset.exampleImage`).
    let exampleImage: String

    init(_ preset: StylePreset) {
        code = preset.rawValue
        name = preset.name
        description = preset.summary
        exampleImage = preset.exampleImage
    }
}

struct ConsentPolicyDTO: Content {
    let version: String
    let points: [String]
    let selfieRetentionDays: Int
    let headshotRetentionDays: Int
}

/// What an order's photos can give, per package (the checkout's honest counts).
struct PlanCapacityDTO: Content {
    struct PackageCapacity: Content {
        let package: String
        let headshotCount: Int
        let maxPresets: Int
        /// The fewest styles with which all its headshots are different pictures (nil: not even with all it allows).
        let stylesForAll: Int?
        /// Headshots it gives from these photos with as many styles as it allows.
        let mostHeadshots: Int
        /// Photos to add for all of them with as many styles as it allows (0 when none are needed).
        let photosToAdd: Int
        let summary: String

        enum CodingKeys: String, CodingKey {
            case package, summary, headshotCount, maxPresets, stylesForAll, mostHeadshots, photosToAdd
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(package, forKey: .package)
            try container.encode(headshotCount, forKey: .headshotCount)
            try container.encode(maxPresets, forKey: .maxPresets)
            try container.encode(stylesForAll, forKey: .stylesForAll)
            try container.encode(mostHeadshots, forKey: .mostHeadshots)
            try container.encode(photosToAdd, forKey: .photosToAdd)
            try container.encode(summary, forKey: .summary)
        }
    }

    let photos: Int
    let distinctPerStyle: Int
    let packages: [PackageCapacity]

    init(_ capacity: PlanCapacity, packages: [PackageDTO]) {
        photos = capacity.photos
        distinctPerStyle = capacity.distinctPerStyle
        self.packages = packages.map { package in
            PackageCapacity(package: package.code, headshotCount: package.headshotCount, maxPresets: package.maxPresets,
                            stylesForAll: capacity.stylesForAll(count: package.headshotCount, maxStyles: package.maxPresets),
                            mostHeadshots: capacity.deliverable(count: package.headshotCount, styles: package.maxPresets),
                            photosToAdd: capacity.photosToAdd(count: package.headshotCount, styles: package.maxPresets),
                            summary: capacity.sentence(count: package.headshotCount, maxStyles: package.maxPresets))
        }
    }
}

/// Where to send the customer to pay, and what the server priced (for display only).
struct CheckoutSessionDTO: Content {
    let checkoutID: String
    let checkoutURL: String
    let amountMinor: Int
    let currency: String
    let headshotCount: Int
}
