// A file view that remembers what another answered, so repeated runs over the same files (the
// configuration benchmark) measure evaluation, not the disk. Not for concurrent use.

/// Remembers what a view answered, so repeated runs measure evaluation, not the disk.
public final class CachedFileView: FileView, @unchecked Sendable {
    let base: any FileView
    var contents: [String: [UInt8]?] = [:]
    var existing: [String: Bool] = [:]
    var listings: [String: [String]] = [:]

    public init(_ base: any FileView) { self.base = base }

    public func contents(of path: String) -> [UInt8]? {
        if let known = contents[path] { return known }
        let value = base.contents(of: path)
        contents[path] = .some(value)
        return value
    }

    public func exists(_ path: String) -> Bool {
        if let known = existing[path] { return known }
        let value = base.exists(path)
        existing[path] = value
        return value
    }

    public func list(_ path: String) -> [String] {
        if let known = listings[path] { return known }
        let value = base.list(path)
        listings[path] = value
        return value
    }
}
