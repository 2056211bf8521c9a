// Reading files and directories, and making directories: the few file operations Baton needs.

import Glibc

public enum FileSystem {
    /// The whole file, read with plain read(2) (works for /proc and /sys files whose size is 0).
    public static func read(_ path: String, limit: Int = 64 << 20) throws(SystemError) -> [UInt8] {
        let fd = try retrying("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        return try read(fd: fd, name: path, limit: limit)
    }

    /// At most `limit` bytes from an open descriptor; more is an error (EFBIG), not a truncation.
    public static func read(fd: Int32, name: String, limit: Int) throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let n = try retrying("read", name) { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
        throw SystemError("read", name, errno: EFBIG)
    }

    /// The file as text, or nil when it cannot be read.
    public static func text(_ path: String) -> String? {
        guard let bytes = try? read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a directory, without "." and "..", sorted; empty when it cannot be read.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        return names(in: dir)
    }

    /// Names in an open directory (the descriptor is taken over and closed).
    public static func list(fd: Int32) -> [String] {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return []
        }
        return names(in: dir)
    }

    static func names(in dir: OpaquePointer) -> [String] {
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates the directory and its parents; existing ones are fine.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, mode) != 0 && errno != EEXIST { throw SystemError.current("mkdir", prefix) }
        }
    }

    /// Creates (or empties) a file for writing: host mode's output, never a boot disk.
    public static func create(_ path: String) throws(SystemError) -> FileDescriptor {
        FileDescriptor(adopting: try retrying("open", path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) })
    }

    /// Writes all bytes to a descriptor, continuing after short writes.
    public static func writeAll(_ bytes: [UInt8], to fd: Int32, name: String) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = try retrying("write", name) {
                bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset) }
            }
            if n == 0 { throw SystemError("write", name, errno: EIO) }
            offset += n
        }
    }
}
