// Prefix tests, searches and comparisons on UTF-8 bytes, as GRUB's C code makes them:
// `String.hasPrefix` and friends compare Characters, which costs grapheme breaking on every call,
// and the interpreter asks them of most arguments.

extension StringProtocol {
    /// Whether the text starts with the bytes of `prefix`.
    package func hasBytePrefix(_ prefix: StaticString) -> Bool {
        let utf8 = self.utf8
        guard utf8.count >= prefix.utf8CodeUnitCount else { return false }
        return prefix.withUTF8Buffer { wanted in
            var index = utf8.startIndex
            for byte in wanted {
                guard utf8[index] == byte else { return false }
                index = utf8.index(after: index)
            }
            return true
        }
    }

    /// Whether the text starts with `-`: an option, to GRUB's commands.
    package var startsWithDash: Bool { utf8.first == UInt8(ascii: "-") }
}

extension UInt8 {
    /// The byte with an ASCII capital made small, as C's `tolower` does in the C locale (the boot
    /// loaders compare names this way; other letters are left as they are).
    package var asciiLowercased: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }
}

extension String {
    /// Where `byte` first is in the text's UTF-8.
    package func firstIndex(ofByte byte: UInt8) -> String.Index? {
        utf8.firstIndex(of: byte)
    }

    /// Whether two texts are the same but for the case of ASCII letters, as GRUB compares UUIDs
    /// (`grub_strcasecmp`): byte by byte, with no string made.
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// Whether a byte of the text's UTF-8 passes `test`.
    package func containsByte(where test: (UInt8) -> Bool) -> Bool {
        utf8.contains(where: test)
    }
}
