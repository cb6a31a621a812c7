import Foundation

/// The one piece of metadata a headshot carries: an XMP packet saying how it was made (IPTC Digital
/// Source Type). libvips 8.14 writes a fresh EXIF block whenever it keeps any metadata at all, so
/// the JPEG is saved stripped and the XMP segment (APP1, Adobe's namespace header) is placed after
/// the start-of-image marker.
enum XMPLabel {
    static let namespace = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

    static func packet(sourceType: String, tool: String) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" \
        xmlns:xmp="http://ns.adobe.com/xap/1.0/" Iptc4xmpExt:DigitalSourceType="\(sourceType)" \
        xmp:CreatorTool="\(tool)"/></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """
    }

    /// `jpeg` (which must start with SOI and carry no XMP) with the packet as its first segment.
    static func labelled(_ jpeg: [UInt8], packet: String) -> [UInt8] {
        let payload = namespace + Array(packet.utf8)
        let length = payload.count + 2
        precondition(jpeg.count > 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && length <= 0xFFFF)
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg[2...]
    }
}
