import Foundation
import NIOCore

/// One SMTP reply: a code and its text lines (multi-line replies use "250-" continuation lines).
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
    var text: String { lines.joined(separator: " ") }
}

/// Splits the server's byte stream into complete replies.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    /// RFC 5321 caps a reply line at 512 octets; anything longer is not an SMTP server.
    private static let maximumLineLength = 2048
    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw MailError.connectionFailed("reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        // Trim by scalars: Swift counts "\r\n" as one Character, so hasSuffix("\n") would miss it.
        let line = (buffer.readString(length: length) ?? "").trimmingCharacters(in: .newlines)
        guard line.count >= 3, let code = Int(line.prefix(3)) else {
            throw MailError.connectionFailed("malformed reply '\(line.prefix(80))'")
        }
        pending.append(line.count > 4 ? String(line.dropFirst(4)) : "")
        let isContinuation = line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-"
        if !isContinuation {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
