import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Requests to URLs the service did not write itself, made under an `OutboundPolicy`: each hop's URL
/// is checked; where only public addresses may be reached, the name is resolved here, every address
/// checked, and the connection pinned to the checked one (AsyncHTTPClient's `dnsOverride`, so TLS
/// still verifies the name); redirects are followed only within the same origin, each hop checked again.
package struct OutboundClient: Sendable {
    package let policy: OutboundPolicy
    /// A CA to trust besides the system's (`TLS_CA_FILE`).
    package let caFile: String?
    package var maxRedirects = 3

    package init(policy: OutboundPolicy, caFile: String? = nil) {
        self.policy = policy
        self.caFile = caFile
    }

    package struct Answer: Sendable {
        package let status: Int
        package let headers: HTTPHeaders
        package let body: [UInt8]
    }

    /// Sends the request (following same-origin redirects) and returns the final answer, whose body
    /// is read up to `maxBytes + 1` bytes (the caller decides what too large means).
    package func execute(_ request: HTTPClientRequest, timeout: TimeAmount, maxBytes: Int) async throws -> Answer {
        var current = request
        for _ in 0...maxRedirects {
            let origin = try policy.check(current.url)
            var pinned: [String: String] = [:]
            if policy.mustBePublic(origin) {
                let host = origin.host
                let addresses = try await NIOThreadPool.singleton.runIfActive { OutboundPolicy.resolve(host) }
                guard let first = addresses.first else { throw OutboundPolicy.Refusal.unresolvable(host) }
                if let refused = addresses.first(where: { !OutboundPolicy.isPublic($0) }) {
                    throw OutboundPolicy.Refusal.privateAddress(host: host, address: refused)
                }
                if first != host { pinned[host] = first }
            }
            let answer = try await once(current, pinned: pinned, timeout: timeout, maxBytes: maxBytes)
            guard (300..<400).contains(answer.status), let location = answer.headers.first(name: "Location") else { return answer }
            guard let next = URL(string: location, relativeTo: URL(string: current.url))?.absoluteURL,
                  let nextOrigin = OutboundPolicy.Origin(next), nextOrigin == origin
            else { throw OutboundPolicy.Refusal.redirectToOtherOrigin(from: origin.description, to: location) }
            var redirected = HTTPClientRequest(url: next.absoluteString)
            redirected.headers = current.headers
            current = redirected
        }
        throw OutboundPolicy.Refusal.tooManyRedirects
    }

    private func once(_ request: HTTPClientRequest, pinned: [String: String], timeout: TimeAmount, maxBytes: Int) async throws -> Answer {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        if let caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(caFile)]
            configuration.tlsConfiguration = tls
        }
        configuration.dnsOverride = pinned
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = Array(try await response.body.collect(upTo: maxBytes + 1).readableBytesView)
            try await client.shutdown()
            return Answer(status: Int(response.status.code), headers: response.headers, body: body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
