import Vapor

extension Application {
    private struct GeneratorKey: StorageKey { typealias Value = any Generator }

    /// What makes the headshots. Background services start a queue worker only when one is set:
    /// with none, paid orders wait in the queue instead of being claimed by a worker that cannot serve them.
    public var generator: (any Generator)? {
        get { storage[GeneratorKey.self] }
        set { storage[GeneratorKey.self] = newValue }
    }
}
