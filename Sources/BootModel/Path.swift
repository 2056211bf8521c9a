// Pure path arithmetic for absolute paths inside a file view.

public enum Path {
    /// Collapses "//", "." and ".." (never above "/") and makes the path absolute.
    public static func normalized(_ path: String) -> String {
        if isNormalized(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether the path is already absolute with no empty, "." or ".." component and no
    /// trailing slash — most paths in configurations are.
    static func isNormalized(_ path: String) -> Bool {
        isNormalized(path.utf8)
    }

    static func isNormalized(_ bytes: some Collection<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard let first = bytes.first, first == slash else { return false }
        var previous = slash
        var componentStart = true
        var dots = 0
        for byte in bytes.dropFirst() {
            if byte == slash {
                if previous == slash || (componentStart && dots > 0) { return false }
                componentStart = true
                dots = 0
            } else {
                if componentStart && byte == dot { dots += 1 } else { componentStart = false }
                if dots > 2 { componentStart = false }
            }
            previous = byte
        }
        return !(bytes.count > 1 && (previous == slash || (componentStart && dots > 0)))
    }

    /// The folder holding the path ("/boot/grub" for "/boot/grub/grub.cfg").
    public static func directory(of path: String) -> String {
        let p = normalized(path)
        // The last `/` byte: a search by Character would pay for grapheme breaking.
        guard let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")), slash != p.startIndex else { return "/" }
        return String(p[..<slash])
    }
}
