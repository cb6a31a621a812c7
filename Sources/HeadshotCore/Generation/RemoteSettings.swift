import Foundation

/// The predictions provider (`REMOTE_BASE_URL`, `REMOTE_API_TOKEN`) and the preset file (`REMOTE_PRESETS`).
package struct RemoteSettings: Sendable, Equatable {
    package var baseURL: URL
    /// None for a self-hosted Cog container.
    package var token: String?
    package var presets: RemotePresets
    /// How long the generator waits for a webhook before it reads a prediction itself.
    package var webhookGrace: Duration = .seconds(20)
    /// How often it reads a prediction once it does.
    package var pollInterval: Duration = .seconds(5)
    /// The first wait before retrying a 429 or 5xx without `Retry-After` (doubled each retry).
    package var retryBackoff: Duration = .seconds(1)

    package init(baseURL: URL, token: String?, presets: RemotePresets) {
        self.baseURL = baseURL
        self.token = token
        self.presets = presets
    }

    /// Loopback or a private network (RFC 1918, `.local`, `.internal`): where plain http to a Cog container is acceptable.
    package static func isPrivateHost(_ host: String) -> Bool {
        if ["localhost", "127.0.0.1", "::1"].contains(host) || host.hasSuffix(".local") || host.hasSuffix(".internal") { return true }
        let parts = host.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return false }
        return parts[0] == 10 || parts[0] == 127 || (parts[0] == 192 && parts[1] == 168) || (parts[0] == 172 && (16...31).contains(parts[1]))
    }
}
