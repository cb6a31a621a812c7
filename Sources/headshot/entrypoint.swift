import App
import Foundation
import Imaging
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        // Process-wide malloc tuning for large image buffers, here and nowhere else.
        LargeBuffers.keepInProcess()
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)

        do {
            let config = try AppConfig.load(environment: env)
            try await configure(app, config: config)
            try await app.execute()
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            try? await app.asyncShutdown()
            exit(1)
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        let status = app.exitStatus
        try await app.asyncShutdown()
        exit(status)
    }
}
