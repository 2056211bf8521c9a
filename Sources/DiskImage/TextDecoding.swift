// Turning on-disk names and labels (ASCII, UTF-8, UCS-2) into Swift strings.

enum TextDecoding {
    /// Bytes up to the first NUL, as UTF-8 (invalid sequences repaired).
    static func utf8(_ bytes: [UInt8]) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// UTF-16 code units up to the first NUL (unpaired surrogates repaired).
    static func utf16(_ units: [UInt16]) -> String {
        let end = units.firstIndex(of: 0) ?? units.count
        return String(decoding: units[..<end], as: UTF16.self)
    }

    static func utf16BigEndian(_ bytes: [UInt8]) -> String {
        utf16(stride(from: 0, to: bytes.count - 1, by: 2).map { bytes.be16($0) })
    }

    static func utf16LittleEndian(_ bytes: [UInt8]) -> String {
        utf16(stride(from: 0, to: bytes.count - 1, by: 2).map { bytes.le16($0) })
    }

    /// A label as libblkid stores it: cut at NUL, trailing white space removed; nil when empty.
    static func label(_ text: String) -> String? {
        var scalars = Substring(text).unicodeScalars
        while let last = scalars.last, last.properties.isWhitespace || last == "\0" { scalars.removeLast() }
        return scalars.isEmpty ? nil : String(scalars)
    }

    /// ASCII-only lower case, the folding Linux uses for FAT and ISO 9660 name lookups.
    static func foldCase(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Hex digits of bytes, in order ("%02x" each, or "%02X" when `uppercase`).
    static func hex(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A UUID as libblkid prints it: lowercase 8-4-4-4-12, bytes in order; nil when all zero.
    static func uuid(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16, bytes.contains(where: { $0 != 0 }) else { return nil }
        let h = Array(hex(bytes).utf8)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(decoding: h[$0], as: UTF8.self) }
        return parts.joined(separator: "-")
    }

    /// A GUID as GPT stores it (first three fields little-endian), lowercase 8-4-4-4-12.
    static func guid(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "" }
        let reordered = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15].map { bytes[$0] }
        return uuid(reordered) ?? "00000000-0000-0000-0000-000000000000"
    }
}
