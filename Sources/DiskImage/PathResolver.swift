// Path resolution shared by the filesystem readers: components, "..", and symlinks kept inside.

import BootModel

/// A directory tree a FileView can be built on. Each reader supplies lookups; path walking,
/// symlink following and the FileView methods come from the extension below.
protocol DirectoryTree: FileView {
    associatedtype Node
    var rootNode: Node { get }
    func isDirectory(_ node: Node) -> Bool
    /// The entries of a directory (no "." or ".."), or nil when it cannot be read.
    func entries(of directory: Node) -> [(name: String, node: Node)]?
    /// The entry named `name` in the directory, compared as the filesystem compares names.
    func lookup(_ name: String, in directory: Node) -> Node?
    /// The target when the node is a symbolic link, else nil.
    func symlinkTarget(of node: Node) -> String?
    /// A regular file's bytes, or nil when it is not one, is too large or cannot be read.
    func fileContents(of node: Node) -> [UInt8]?
}

/// Linux gives up after 40 links in one lookup (ELOOP); so do we.
let symlinkLimit = 40
/// The largest file `contents(of:)` returns, as HostFileView.
let fileSizeLimit = 16 << 20

extension DirectoryTree {
    /// The node at `path`, following symlinks (also in the last component). An absolute target
    /// restarts at this filesystem's root, never outside it; ".." stops at the root.
    func resolve(_ path: String) -> Node? {
        var stack: [Node] = [rootNode]
        var pending: [Substring] = path.split(separator: "/").reversed()
        var links = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                if stack.count > 1 { stack.removeLast() }
                continue
            }
            guard let directory = stack.last, isDirectory(directory),
                  let child = lookup(String(component), in: directory) else { return nil }
            if let target = symlinkTarget(of: child) {
                links += 1
                guard links <= symlinkLimit, !target.isEmpty else { return nil }
                if target.hasPrefix("/") { stack = [rootNode] }
                pending.append(contentsOf: target.split(separator: "/").reversed())
                continue
            }
            stack.append(child)
        }
        return stack.last
    }

    func contents(of path: String) -> [UInt8]? {
        guard let node = resolve(path), !isDirectory(node) else { return nil }
        return fileContents(of: node)
    }

    func exists(_ path: String) -> Bool { resolve(path) != nil }

    func list(_ path: String) -> [String] {
        guard let node = resolve(path), isDirectory(node), let entries = entries(of: node) else { return [] }
        return Set(entries.map(\.name)).sorted()
    }
}
