// String helpers for the syslinux parser: syslinux's blanks, words, carets and C-style numbers.

import BootModel

/// String helpers shared by the syslinux parser and resolver, on syslinux's notion of blanks.
enum SyslinuxText {
    static func isBlank(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { $0.value <= 0x20 }
    }

    static func trimmed(_ s: some StringProtocol) -> String {
        var chars = Substring(s)
        while let first = chars.first, isBlank(first) { chars = chars.dropFirst() }
        while let last = chars.last, isBlank(last) { chars = chars.dropLast() }
        return String(chars)
    }

    /// The first blank-separated word and what follows it (blanks before it skipped).
    static func splitFirstWord(_ s: String) -> (word: String, rest: String) {
        let t = trimmed(s)
        guard let blank = t.firstIndex(where: isBlank) else { return (t, "") }
        return (String(t[..<blank]), trimmed(t[blank...]))
    }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: isBlank).map(String.init)
    }

    /// The character after the first "^": the key that selects and boots the label.
    static func hotkey(in label: String) -> Character? {
        guard let caret = label.firstIndex(of: "^") else { return nil }
        let next = label.index(after: caret)
        guard next < label.endIndex, label[next] != " " else { return nil }
        return label[next]
    }

    /// The menu shows the character after "^" as the hotkey; the caret itself is never shown.
    static func strippingCarets(_ s: String) -> String {
        s.filter { $0 != "^" }
    }

    static func lowercasedASCII(_ s: String) -> String {
        String(decoding: s.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// C's atoi: blanks, an optional sign, then digits; 0 when there are none. Clamped, never traps.
    static func atoi(_ s: String) -> Int {
        var chars = Substring(trimmed(s)).unicodeScalars[...]
        var negative = false
        if let sign = chars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            chars = chars.dropFirst()
        }
        var value = 0
        for c in chars {
            guard ("0"..."9").contains(c) else { break }
            value = min(value * 10 + Int(c.value - 48), 1_000_000_000)
        }
        return negative ? -value : value
    }

    /// C's strtoul with base 0: "0x" hexadecimal, leading "0" octal, else decimal. Clamped.
    static func strtoul(_ s: String) -> UInt64 {
        let t = lowercasedASCII(splitFirstWord(s).word)
        var digits = Substring(t)
        var radix: UInt64 = 10
        if digits.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0"), digits.count > 1 {
            radix = 8
            digits = digits.dropFirst()
        }
        return CNumber.leadingDigits(digits, radix: radix).value
    }
}
