import Foundation

/// Builds an RFC 5322 message with a UTF-8 text body, base64-encoded so no line exceeds SMTP's limit.
enum MailComposer {
    static func compose(_ message: MailMessage, from sender: String, date: Date, messageID: String) -> String {
        var lines = [
            "Date: \(rfc5322Date(date))",
            "From: \(sender)",
            "To: \(message.to)",
            "Subject: \(encodeHeader(message.subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let body = Data(message.text.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 76, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047 encoded-word for a non-ASCII header; ASCII headers stay readable.
    static func encodeHeader(_ value: String) -> String {
        let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    /// The bare address of "Name <addr@host>" or "addr@host"; nil for anything unsafe in an SMTP command.
    static func address(_ value: String) -> String? {
        var address = value.trimmingCharacters(in: .whitespaces)
        if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
            address = String(address[address.index(after: open)..<close])
        }
        let forbidden = CharacterSet(charactersIn: "<>\r\n \t,;")
        guard address.contains("@"), address.rangeOfCharacter(from: forbidden) == nil, address.count <= 254 else { return nil }
        return address
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// SMTP transparency (RFC 5321 4.5.2): a line starting with "." gets a second one.
    static func dotStuffed(_ data: String) -> String {
        data.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }
}
