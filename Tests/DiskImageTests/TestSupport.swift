// Helpers for the disk-image tests: host tools, scratch directories, a pread-backed byte source
// and blkid's answers.

import DiskImage
import Foundation
import Glibc
import Testing

/// A failure of a host tool the tests need; a missing tool fails the test rather than skipping it.
struct ToolError: Error, CustomStringConvertible {
    let description: String
}

enum Tool {
    static let searchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/bin", "/usr/local/sbin"]
    static let packages = [
        "mkfs.ext4": "e2fsprogs", "mkfs.ext2": "e2fsprogs", "mkfs.ext3": "e2fsprogs", "e2fsck": "e2fsprogs",
        "debugfs": "e2fsprogs", "mkfs.vfat": "dosfstools", "mcopy": "mtools", "mmd": "mtools",
        "mshowfat": "mtools", "xorriso": "xorriso", "sfdisk": "fdisk", "blkid": "util-linux",
        "mkfs.xfs": "xfsprogs", "mkfs.btrfs": "btrfs-progs", "dd": "coreutils", "truncate": "coreutils",
    ]

    static func path(of name: String) throws -> String {
        for directory in searchPath where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        let package = packages[name].map { " (install it: sudo apt-get install \($0); scripts/test installs every package in scripts/lib/packages)" } ?? " (scripts/lib/packages lists what the tests need)"
        throw ToolError(description: "required host tool `\(name)` is missing\(package)")
    }

    /// Runs a tool and returns its standard output; a non-zero exit is an error with stderr.
    @discardableResult
    static func run(_ name: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:], allowedStatus: Set<Int32> = [0]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: name))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C.UTF-8"
        env["MTOOLS_SKIP_CHECK"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard allowedStatus.contains(process.terminationStatus) else {
            throw ToolError(description: "\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A temporary directory removed when the test is done with it.
final class Scratch {
    let path: String

    init() throws {
        let base = NSTemporaryDirectory() + "diskimage-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes a tree of files (path → contents) and symlinks (path → "->target") under `name`.
    func tree(_ name: String, files: [String: [UInt8]], symlinks: [String: String] = [:], directories: [String] = []) throws -> String {
        let root = file(name)
        let manager = FileManager.default
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        for directory in directories {
            try manager.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        for (path, bytes) in files {
            let full = root + "/" + path
            try manager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: full, contents: Data(bytes)) else { throw ToolError(description: "cannot write \(full)") }
        }
        for (path, target) in symlinks {
            let full = root + "/" + path
            try manager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: full, withDestinationPath: target)
        }
        return root
    }

    /// An empty (sparse) file of `size` bytes.
    func image(_ name: String, size: UInt64) throws -> String {
        let path = file(name)
        try Tool.run("truncate", ["-s", String(size), path])
        return path
    }
}


enum Blkid {
    /// `blkid -p -o export` of an image (at a byte offset), values unescaped.
    static func probe(_ path: String, offset: UInt64 = 0) throws -> [String: String] {
        var arguments = ["-p", "-o", "export"]
        if offset != 0 { arguments += ["-O", String(offset)] }
        // Status 2: nothing found, which is an answer too.
        let output = try Tool.run("blkid", arguments + [path], allowedStatus: [0, 2])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = ""
            var escaped = false
            for character in line[line.index(after: equals)...] {
                if character == "\\" && !escaped { escaped = true; continue }
                escaped = false
                value.append(character)
            }
            values[String(line[..<equals])] = value
        }
        return values
    }

    /// Expects our identity to be exactly what blkid prints for TYPE, UUID and LABEL.
    static func expectSame(_ identity: FilesystemIdentity?, as path: String, offset: UInt64 = 0,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try probe(path, offset: offset)
        #expect(identity?.type == expected["TYPE"], "TYPE", sourceLocation: sourceLocation)
        #expect(identity?.uuid == expected["UUID"], "UUID", sourceLocation: sourceLocation)
        #expect(identity?.label == expected["LABEL"], "LABEL", sourceLocation: sourceLocation)
    }
}

/// Deterministic pseudo-random bytes, so a failing corrupt-image case can be reproduced.
struct SeededBytes: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// A short stand-in for file contents in expectations, so a mismatch does not print megabytes.
func summary(_ bytes: [UInt8]?) -> String {
    guard let bytes else { return "nil" }
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return "\(bytes.count) bytes, FNV-1a \(String(hash, radix: 16))"
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
