import Fluent

extension QueryBuilder where Model == Order {
    /// The orders with their package read in the same query (a left join), where eager loading
    /// (`with(\.$package)`) would ask a second one: this read starts every request about an order.
    func allWithPackage() async throws -> [Order] {
        let orders = try await join(Package.self, on: \Order.$package.$id == \Package.$id, method: .left).all()
        for order in orders { order.$package.value = .some(order.$package.id == nil ? nil : try order.joined(Package.self)) }
        return orders
    }

    func firstWithPackage() async throws -> Order? {
        try await limit(1).allWithPackage().first
    }
}
