// One line of a syslinux-family config, read the way syslinux reads it: bytes, blanks are every
// byte up to and including space, keywords are case-insensitive and end at a blank.

import BootModel

struct SyslinuxLine {
    /// Syslinux reads lines into a 4096-byte buffer; what is longer is cut here.
    static let maxLength = 4095

    let bytes: [UInt8]
    let number: Int
    /// The line was longer than `maxLength` and was cut.
    let wasCut: Bool
    private(set) var index = 0

    init(_ bytes: [UInt8], number: Int) {
        self.bytes = Array(bytes.prefix(Self.maxLength))
        self.number = number
        wasCut = bytes.count > Self.maxLength
    }

    /// Splits a file into lines. A line ends at "\n"; like syslinux, it is cut at its first "\r".
    /// A UTF-8 byte order mark at the start is dropped.
    static func lines(of bytes: [UInt8]) -> [SyslinuxLine] {
        var lines: [SyslinuxLine] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var number = 1
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var cut = start
            while cut < end, bytes[cut] != 0x0D { cut += 1 }
            if start < bytes.count || end > start { lines.append(SyslinuxLine(Array(bytes[start..<min(cut, start + maxLength + 1)]), number: number)) }
            number += 1
            start = end + 1
        }
        return lines
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte <= 0x20 }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipBlanks() {
        while index < bytes.count, Self.isBlank(bytes[index]) { index += 1 }
    }

    /// The next word, lower-cased (ASCII), for matching keywords; empty at the end of the line.
    mutating func keyword() -> String {
        let word = nextWordBytes()
        return Self.decode(word.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 })
    }

    /// The next word as written.
    mutating func word() -> String { Self.decode(nextWordBytes()) }

    /// UTF-8, or else Latin-1 byte for byte: older menus were written in a legacy code page, and
    /// that shows their letters better than replacement characters would.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Everything after the blanks that follow the current position, without trailing blanks.
    /// (Syslinux keeps trailing blanks; nobody means them, and they would only break label matching.)
    mutating func rest() -> String {
        skipBlanks()
        var end = bytes.count
        while end > index, Self.isBlank(bytes[end - 1]) { end -= 1 }
        let text = Self.decode(bytes[index..<end])
        index = bytes.count
        return text
    }

    /// Whether the line holds nothing but blanks.
    var isEmpty: Bool { bytes.allSatisfy(Self.isBlank) }

    /// Whether the first non-blank byte is "#".
    var isComment: Bool { bytes.first(where: { !Self.isBlank($0) }) == UInt8(ascii: "#") }

    /// The line as text, for help text and messages.
    var text: String { Self.decode(bytes) }

    private mutating func nextWordBytes() -> ArraySlice<UInt8> {
        skipBlanks()
        let start = index
        while index < bytes.count, !Self.isBlank(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }
}
