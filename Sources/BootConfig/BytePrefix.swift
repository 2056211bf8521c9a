// Prefix tests on UTF-8 bytes, as GRUB's C code makes them: `String.hasPrefix` compares Characters,
// which costs grapheme breaking on every call, and the interpreter asks it of most arguments.

extension StringProtocol {
    /// Whether the text starts with the bytes of `prefix`.
    func hasBytePrefix(_ prefix: StaticString) -> Bool {
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
    var startsWithDash: Bool { utf8.first == UInt8(ascii: "-") }
}
