import FluentKit
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// The models that list their properties for Fluent (Models/Model+ListedProperties.swift) list exactly
/// what reflection finds, in the same order: a property added to a model and not to its list would be
/// neither selected, saved nor decoded.
@Suite("Listed model properties") struct ModelPropertiesTests {
    static let listed: [any Model.Type] = [User.self, APIToken.self, UserSession.self, Order.self, Package.self, GenerationJob.self,
                                           GeneratedAsset.self, Entitlement.self, Notification.self, UploadAsset.self, AuditEvent.self]

    @Test(arguments: listed.map { ModelType($0) })
    func eachListMatchesWhatReflectionFinds(model: ModelType) {
        let instance = model.type.init()
        let reflected = Mirror(reflecting: instance).children.compactMap { child -> (String, ObjectIdentifier)? in
            guard let property = child.value as? any AnyProperty else { return nil }
            return (child.label ?? "?", ObjectIdentifier(property as AnyObject))
        }
        let listed = instance.properties.map { ObjectIdentifier($0 as AnyObject) }
        let missing = reflected.filter { !listed.contains($0.1) }.map(\.0)
        #expect(missing.isEmpty, "\(model) does not list \(missing) in Model+ListedProperties.swift")
        #expect(listed == reflected.map(\.1), "\(model) lists its properties in another order or twice")
        #expect(!reflected.isEmpty)
    }

    struct ModelType: CustomTestStringConvertible, CustomStringConvertible, Sendable {
        let type: any Model.Type
        init(_ type: any Model.Type) { self.type = type }
        var description: String { String(describing: type) }
        var testDescription: String { description }
    }
}
