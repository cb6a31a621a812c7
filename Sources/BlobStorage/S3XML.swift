import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The few values the S3 client reads out of S3's XML answers (UploadId, Key, ETag, Code...).
enum S3XML {
    /// The text of every element named `name`, in document order.
    static func values(of name: String, in xml: String) -> [String] {
        let collector = Collector(name: name)
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        _ = parser.parse()
        return collector.values
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private final class Collector: NSObject, XMLParserDelegate {
        let name: String
        var values: [String] = []
        private var current: String?

        init(name: String) { self.name = name }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if element == name { current = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            if element == name, let text = current { values.append(text) }
            if element == name { current = nil }
        }
    }
}
