import Vapor

extension Application {
    private struct BlobStoreKey: StorageKey { typealias Value = any BlobStore }

    /// Where photos and headshots are kept; tests may swap it.
    public var blobStore: any BlobStore {
        get {
            guard let store = storage[BlobStoreKey.self] else { fatalError("configure(_:) has not run") }
            return store
        }
        set { storage[BlobStoreKey.self] = newValue }
    }

    /// Builds the store the configuration names.
    func useConfiguredBlobStore() throws {
        switch config.storage {
        case .local:
            blobStore = try LocalBlobStore(
                root: config.dataDirectory + "/blobs", keyring: config.dataDirectory + "/blob-keys",
                masterKey: secrets.key(for: "blob-master-key"), threadPool: threadPool
            )
        case .s3(let settings):
            blobStore = S3BlobStore(settings: settings, client: http.client.shared)
        }
    }
}

extension Request {
    public var blobStore: any BlobStore { application.blobStore }
}
