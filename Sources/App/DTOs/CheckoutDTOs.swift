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

    enum CodingKeys: String, CodingKey {
        case code, name, description
        case exampleImage = "example_image"
    }
}

struct ConsentPolicyDTO: Content {
    let version: String
    let points: [String]
    let selfieRetentionDays: Int
    let headshotRetentionDays: Int

    enum CodingKeys: String, CodingKey {
        case version, points
        case selfieRetentionDays = "selfie_retention_days"
        case headshotRetentionDays = "headshot_retention_days"
    }
}

/// Where to send the customer to pay, and what the server priced (for display only).
struct CheckoutSessionDTO: Content {
    let checkoutID: String
    let checkoutURL: String
    let amountMinor: Int
    let currency: String
    let headshotCount: Int

    enum CodingKeys: String, CodingKey {
        case checkoutID = "checkout_id"
        case checkoutURL = "checkout_url"
        case amountMinor = "amount_minor"
        case currency
        case headshotCount = "headshot_count"
    }
}
