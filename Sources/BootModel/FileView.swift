// The read-only view of a filesystem through which every parser sees files.

/// A read-only view of one filesystem. Paths are absolute within it ("/boot/grub/grub.cfg").
public protocol FileView: Sendable {
    /// The bytes of a regular file, or nil when it does not exist or cannot be read.
    func contents(of path: String) -> [UInt8]?
    /// Whether a file or directory exists at the path.
    func exists(_ path: String) -> Bool
    /// Names in a directory (without "." and ".."), sorted; empty when it is not a directory.
    func list(_ path: String) -> [String]
}

extension FileView {
    /// The file as text (invalid UTF-8 is repaired), or nil when it cannot be read.
    public func text(of path: String) -> String? {
        contents(of: path).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A file view over an in-memory dictionary of path → text, for tests and host tools.
public struct MemoryFileView: FileView {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    public func contents(of path: String) -> [UInt8]? { files[Path.normalized(path)] }

    public func exists(_ path: String) -> Bool {
        let p = Path.normalized(path)
        if files[p] != nil || p == "/" { return true }
        return files.keys.contains { $0.hasPrefix(p + "/") }
    }

    public func list(_ path: String) -> [String] {
        let p = Path.normalized(path)
        let prefix = p == "/" ? "/" : p + "/"
        var names: Set<String> = []
        for key in files.keys where key.hasPrefix(prefix) {
            if let name = key.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
        }
        return names.sorted()
    }
}
