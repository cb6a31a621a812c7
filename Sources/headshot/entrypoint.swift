import App
import Foundation
import Imaging
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        LargeBuffers.keepInProcess()
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        let command = env.commandInput.arguments.first ?? "serve"

        do {
            var config = try AppConfig.load(environment: env)
            // Only `serve` runs background work alongside the web server; `worker` starts its own.
            config.runWorkers = command == "serve"
            if command == "serve" || command == "worker" {
                try config.requireFaceModels()
            }
            try await configure(app, config: config)
            if command == "serve" {
                try await app.autoMigrate()
            }
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
