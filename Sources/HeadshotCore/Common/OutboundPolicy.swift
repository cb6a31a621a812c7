import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the service may send a request of its own, in one place for every URL it fetches or posts
/// to that it did not write itself (a provider's output URLs now; partners' webhooks and push
/// endpoints next). A URL passes when:
/// - its scheme is https (plain http only where the policy allows it: development, or an origin the
///   operator named that lives on this machine or a private network, such as a Cog container);
/// - its origin (scheme, host, port) is one of the trusted origins, or its host is on the allow-list
///   (an exact name, or `*.suffix` for any name under it);
/// - and, where the policy refuses private addresses (production), every address its name resolves
///   to is public: never loopback, private (RFC 1918, CGNAT, unique-local), link-local (the cloud
///   metadata service at 169.254.169.254 among them), multicast or unspecified. The connection is then
///   made to the address that was checked (`OutboundClient`), so a name cannot resolve again elsewhere.
/// Redirects are followed only within the same origin, each hop checked again.
package struct OutboundPolicy: Sendable, Equatable {
    /// Hosts other origins' URLs may name: exact names, or `*.example.com` for any name under it.
    package var allowedHosts: [String]
    /// Plain http to any allowed origin (development and tests).
    package var allowsHTTP: Bool
    /// Refuses non-public addresses at connect time (production).
    package var refusesPrivateAddresses: Bool
    /// Origins trusted as they are (the operator configured them), even on a private address over http.
    package var trustedOrigins: [Origin]

    package init(allowedHosts: [String], allowsHTTP: Bool, refusesPrivateAddresses: Bool, trustedOrigins: [Origin] = []) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.allowsHTTP = allowsHTTP
        self.refusesPrivateAddresses = refusesPrivateAddresses
        self.trustedOrigins = trustedOrigins
    }

    /// A URL's origin: scheme, host and port (the scheme's default when none is written).
    package struct Origin: Sendable, Hashable, CustomStringConvertible {
        package let scheme: String
        package let host: String
        package let port: Int

        package init?(_ url: URL) {
            guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host?.lowercased(), !host.isEmpty else { return nil }
            self.scheme = scheme
            self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            self.port = url.port ?? (scheme == "https" ? 443 : 80)
        }

        package init?(_ text: String) {
            guard let url = URL(string: text) else { return nil }
            self.init(url)
        }

        package var description: String { "\(scheme)://\(host):\(port)" }
    }

    package enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case insecure(String)
        case hostNotAllowed(String)
        case privateAddress(host: String, address: String)
        case unresolvable(String)
        case redirectToOtherOrigin(from: String, to: String)
        case tooManyRedirects

        package var description: String {
            switch self {
            case .malformed(let url): "'\(url)' is not an http(s) URL"
            case .insecure(let url): "'\(url)' is not https"
            case .hostNotAllowed(let host): "\(host) is not an allowed host"
            case .privateAddress(let host, let address): "\(host) resolves to \(address), which is not a public address"
            case .unresolvable(let host): "\(host) could not be resolved"
            case .redirectToOtherOrigin(let from, let to): "\(from) redirected to another origin (\(to))"
            case .tooManyRedirects: "too many redirects"
            }
        }
    }

    /// Checks what can be checked without the network: the scheme, and the origin or host. Returns the origin.
    package func check(_ text: String) throws(Refusal) -> Origin {
        guard let url = URL(string: text), let origin = Origin(url) else { throw .malformed(text) }
        if trustedOrigins.contains(origin) { return origin }
        guard origin.scheme == "https" || allowsHTTP else { throw .insecure(text) }
        guard allowedHosts.contains(where: { Self.matches(origin.host, $0) }) else { throw .hostNotAllowed(origin.host) }
        return origin
    }

    /// Whether the origin's addresses must be public (not for a trusted origin, nor where the policy allows private ones).
    package func mustBePublic(_ origin: Origin) -> Bool {
        refusesPrivateAddresses && !trustedOrigins.contains(origin)
    }

    package static func matches(_ host: String, _ pattern: String) -> Bool {
        if pattern.hasPrefix("*.") { return host.hasSuffix(String(pattern.dropFirst(1))) }
        return host == pattern
    }

    // MARK: Addresses

    /// Whether an IP address (v4 or v6, as text) is one a request may go to when only public ones may.
    package static func isPublic(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return isPublicV4(UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b.allSatisfy({ $0 == 0 }) { return false }                                    // ::
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return false }                // ::1
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {           // ::ffff:a.b.c.d
            return isPublicV4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return false }                         // fe80::/10 link-local
        if (b[0] & 0xFE) == 0xFC { return false }                                          // fc00::/7 unique-local
        if b[0] == 0xFF { return false }                                                   // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return false }   // 2001:db8::/32 documentation
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B { return false }   // 64:ff9b::/96 NAT64 of any v4
        return true
    }

    private static func isPublicV4(_ a: UInt32) -> Bool {
        func inside(_ base: UInt32, _ bits: UInt32) -> Bool { (a >> (32 - bits)) == (base >> (32 - bits)) }
        let blocked: [(UInt32, UInt32)] = [
            (0x0000_0000, 8),    // 0.0.0.0/8 "this network"
            (0x0A00_0000, 8),    // 10/8
            (0x6440_0000, 10),   // 100.64/10 carrier-grade NAT
            (0x7F00_0000, 8),    // 127/8 loopback
            (0xA9FE_0000, 16),   // 169.254/16 link-local (cloud metadata)
            (0xAC10_0000, 12),   // 172.16/12
            (0xC000_0000, 24),   // 192.0.0/24 protocol assignments
            (0xC000_0200, 24),   // 192.0.2/24 documentation
            (0xC0A8_0000, 16),   // 192.168/16
            (0xC612_0000, 15),   // 198.18/15 benchmarking
            (0xC633_6400, 24),   // 198.51.100/24 documentation
            (0xCB00_7100, 24),   // 203.0.113/24 documentation
            (0xE000_0000, 4),    // 224/4 multicast
            (0xF000_0000, 4),    // 240/4 reserved, broadcast
        ]
        return !blocked.contains { inside($0.0, $0.1) }
    }

    /// The addresses a name resolves to (an address literal resolves to itself). Blocking: called off the event loops.
    package static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = entry.pointee.ai_addr,
               getnameinfo(address, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
