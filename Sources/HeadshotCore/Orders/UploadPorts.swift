import BlobStorage
import Foundation
import Imaging
import NIOPosix

/// What the photo flow needs beyond the database: where photos are kept, the imaging engine that
/// checks them, the threads blocking file work runs on, how long photos are kept and where uploads
/// are spooled.
package struct UploadPorts: Sendable {
    package let store: any BlobStore
    package let imaging: ImagingService
    package let fileThreads: NIOThreadPool
    package let retention: RetentionPolicy
    package let dataDirectory: String

    package init(store: any BlobStore, imaging: ImagingService, fileThreads: NIOThreadPool, retention: RetentionPolicy, dataDirectory: String) {
        self.store = store
        self.imaging = imaging
        self.fileThreads = fileThreads
        self.retention = retention
        self.dataDirectory = dataDirectory
    }
}
