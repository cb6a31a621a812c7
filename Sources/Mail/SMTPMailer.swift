import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail to an SMTP relay: EHLO, STARTTLS (NIOSSL), AUTH PLAIN or LOGIN, one message per connection.
public struct SMTPMailer: Mailer {
    public let settings: SMTPSettings
    public let group: any EventLoopGroup
    public var timeout: TimeAmount = .seconds(30)

    public init(settings: SMTPSettings, group: any EventLoopGroup) {
        self.settings = settings
        self.group = group
    }

    public func send(_ message: MailMessage, from sender: String) async throws {
        guard let from = MailComposer.address(sender) else { throw MailError.invalidAddress(sender) }
        guard let to = MailComposer.address(message.to) else { throw MailError.invalidAddress(message.to) }
        let tlsContext = try makeTLSContext()

        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailError.connectionFailed("\(settings.host):\(settings.port): \(error)")
        }
        // A relay that stops answering must not hold a request (or a worker) forever.
        let timedOut = NIOLockedValueBox(false)
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) {
            timedOut.withLockedValue { $0 = true }
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }

        let settings = self.settings
        let composed = MailComposer.compose(message, from: sender, date: Date(), messageID: "\(UUID().uuidString)@\(settings.heloName)")
        do {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
                try await session.expect(220, after: "greeting")
                var capabilities = try await session.ehlo(settings.heloName)

                var encrypted = false
                if settings.tls != .none, capabilities.contains("STARTTLS") {
                    try await session.command("STARTTLS", expect: 220)
                    try await channel.channel.eventLoop.submit {
                        // A relay named by its IP address: no SNI (IPs may not be sent there), and NIOSSL then
                        // checks the certificate's IP addresses against the address dialled.
                        let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: settings.hostIsIPAddress ? nil : settings.host)
                        try channel.channel.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    capabilities = try await session.ehlo(settings.heloName)
                    encrypted = true
                } else if settings.tls == .required {
                    throw MailError.tlsUnavailable
                }

                if let username = settings.username, let password = settings.password {
                    // The password never crosses the network in clear unless the operator said the relay is
                    // local with SMTP_TLS=none.
                    guard encrypted || settings.tls == .none else { throw MailError.plaintextAuthenticationRefused }
                    try await session.authenticate(username: username, password: password, capabilities: capabilities)
                }
                try await session.command("MAIL FROM:<\(from)>", expect: 250)
                try await session.command("RCPT TO:<\(to)>", expect: 250, 251)
                try await session.command("DATA", expect: 354)
                try await session.command(MailComposer.dotStuffed(composed) + ".", expect: 250, label: "message body")
                try? await session.command("QUIT", expect: 221)
            }
        } catch let error as MailError {
            throw error
        } catch {
            // The channel is always closed by now, so only the deadline's own flag tells a timeout apart.
            throw timedOut.withLockedValue { $0 } ? MailError.timedOut : MailError.connectionFailed("\(error)")
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// The command/reply conversation over one connection.
private struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func expect(_ codes: Int..., after command: String) async throws {
        guard let reply = try await inbound.next() else { throw MailError.connectionFailed("connection closed after \(command)") }
        guard codes.contains(reply.code) else {
            throw MailError.unexpectedReply(command: command, code: reply.code, text: reply.text)
        }
    }

    mutating func command(_ line: String, expect codes: Int..., label: String? = nil) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        guard let reply = try await inbound.next() else { throw MailError.connectionFailed("connection closed") }
        guard codes.contains(reply.code) else {
            // Never echo AUTH arguments into an error message.
            let shown = label ?? String(line.prefix(while: { $0 != " " && $0 != ":" }))
            throw MailError.unexpectedReply(command: shown, code: reply.code, text: reply.text)
        }
    }

    /// Sends EHLO and returns the advertised extensions, upper-cased (e.g. "STARTTLS", "AUTH PLAIN LOGIN").
    mutating func ehlo(_ name: String) async throws -> Set<String> {
        try await outbound.write(ByteBuffer(string: "EHLO \(name)\r\n"))
        guard let reply = try await inbound.next() else { throw MailError.connectionFailed("connection closed after EHLO") }
        guard reply.code == 250 else { throw MailError.unexpectedReply(command: "EHLO", code: reply.code, text: reply.text) }
        var capabilities = Set<String>()
        for line in reply.lines.dropFirst() {
            let upper = line.uppercased()
            capabilities.insert(upper)
            capabilities.insert(String(upper.prefix(while: { $0 != " " })))
            if upper.hasPrefix("AUTH ") || upper.hasPrefix("AUTH=") {
                for mechanism in upper.dropFirst(5).split(separator: " ") { capabilities.insert("AUTH:\(mechanism)") }
            }
        }
        return capabilities
    }

    mutating func authenticate(username: String, password: String, capabilities: Set<String>) async throws {
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if capabilities.contains("AUTH:PLAIN") {
            try await command("AUTH PLAIN " + b64("\0\(username)\0\(password)"), expect: 235, label: "AUTH PLAIN")
        } else if capabilities.contains("AUTH:LOGIN") {
            try await command("AUTH LOGIN", expect: 334, label: "AUTH LOGIN")
            try await command(b64(username), expect: 334, label: "AUTH LOGIN username")
            try await command(b64(password), expect: 235, label: "AUTH LOGIN password")
        } else {
            throw MailError.authenticationUnavailable
        }
    }
}
