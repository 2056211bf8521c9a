// Pure path arithmetic for absolute paths inside a file view.

public enum Path {
    /// Collapses "//", "." and ".." (never above "/") and makes the path absolute.
    public static func normalized(_ path: String) -> String {
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

    /// The folder holding the path ("/boot/grub" for "/boot/grub/grub.cfg").
    public static func directory(of path: String) -> String {
        let p = normalized(path)
        guard let slash = p.lastIndex(of: "/"), slash != p.startIndex else { return "/" }
        return String(p[..<slash])
    }
}
