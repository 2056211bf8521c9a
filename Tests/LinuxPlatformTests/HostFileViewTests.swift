// Tests that a directory seen as a disk cannot be left: symlinks, "..", FIFOs and huge files.

import Foundation
import Testing
import CLinux
@testable import LinuxPlatform

@Suite struct HostFileViewTests {
    /// A scratch directory holding "disk/" (the view) and "outside" (a file it must not reach).
    func makeTree() throws -> (view: HostFileView, base: URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("baton-view-\(UUID().uuidString)")
        let disk = base.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk.appendingPathComponent("boot"), withIntermediateDirectories: true)
        try "secret".write(to: base.appendingPathComponent("outside"), atomically: true, encoding: .utf8)
        try "kernel".write(to: disk.appendingPathComponent("boot/vmlinuz"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: disk.appendingPathComponent("boot/absolute").path, withDestinationPath: base.appendingPathComponent("outside").path)
        try FileManager.default.createSymbolicLink(atPath: disk.appendingPathComponent("boot/up").path, withDestinationPath: "../../outside")
        try FileManager.default.createSymbolicLink(atPath: disk.appendingPathComponent("boot/inside").path, withDestinationPath: "/boot/vmlinuz")
        #expect(mkfifo(disk.appendingPathComponent("boot/fifo").path, 0o600) == 0)
        return (HostFileView(root: disk.path), base)
    }

    @Test func readsFilesAndSymlinksInside() throws {
        let (view, base) = try makeTree()
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(view.text(of: "/boot/vmlinuz") == "kernel")
        #expect(view.text(of: "/boot/inside") == "kernel")  // an absolute link resolves inside the disk
        #expect(view.list("/boot") == ["absolute", "fifo", "inside", "up", "vmlinuz"])
    }

    @Test func nothingOutsideCanBeReached() throws {
        let (view, base) = try makeTree()
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(view.contents(of: "/boot/absolute") == nil)
        #expect(view.contents(of: "/boot/up") == nil)
        #expect(view.contents(of: "/../outside") == nil)
        #expect(view.contents(of: "../outside") == nil)
        #expect(!view.exists("/boot/absolute"))
    }

    @Test func fifosAndDirectoriesAreNotFiles() throws {
        let (view, base) = try makeTree()
        defer { try? FileManager.default.removeItem(at: base) }
        // Opening a FIFO for reading would block without O_NONBLOCK; it is refused instead.
        #expect(view.contents(of: "/boot/fifo") == nil)
        #expect(view.contents(of: "/boot") == nil)
        #expect(throws: SystemError.self) { try view.openRegularFile("/boot/fifo") }
        do {
            _ = try view.openRegularFile("/boot/fifo")
        } catch {
            #expect(error.message.contains("not a regular file"))
        }
    }

    @Test func oversizedFilesAreRefused() throws {
        let (view, base) = try makeTree()
        defer { try? FileManager.default.removeItem(at: base) }
        let big = base.appendingPathComponent("disk/big.cfg")
        _ = FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(HostFileView.fileSizeLimit + 1))
        try handle.close()
        #expect(view.contents(of: "/big.cfg") == nil)
        // A 1 GiB configuration (sparse here) is refused the same way, without reading it.
        let huge = try FileHandle(forWritingTo: big)
        try huge.truncate(atOffset: 1 << 30)
        try huge.close()
        #expect(view.contents(of: "/big.cfg") == nil)
        #expect(view.text(of: "/big.cfg") == nil)
    }
}

/// The resolution used on kernels without openat2 must agree with openat2 on every path.
@Suite struct OpenInRootWalkTests {
    /// What opening a path gave: the file's identity, or the error.
    enum Outcome: Equatable {
        case file(device: UInt64, inode: UInt64)
        case error(Int32)
    }

    func outcome(_ fd: Int32) -> Outcome {
        guard fd >= 0 else { return .error(-fd) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .error(errno) }
        return .file(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    @Test func agreesWithOpenat2() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("baton-walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let disk = base.appendingPathComponent("disk")
        let fm = FileManager.default
        try fm.createDirectory(at: disk.appendingPathComponent("boot/grub/sub"), withIntermediateDirectories: true)
        try "secret".write(to: base.appendingPathComponent("outside"), atomically: true, encoding: .utf8)
        try "kernel".write(to: disk.appendingPathComponent("boot/vmlinuz"), atomically: true, encoding: .utf8)
        try "cfg".write(to: disk.appendingPathComponent("boot/grub/grub.cfg"), atomically: true, encoding: .utf8)
        let links: [(String, String)] = [
            ("boot/absolute", base.appendingPathComponent("outside").path), ("boot/up", "../../outside"),
            ("boot/inside", "/boot/vmlinuz"), ("boot/relative", "vmlinuz"), ("grub", "boot/grub"),
            ("boot/grub/sub/back", "../../vmlinuz"), ("boot/dirlink", "/boot/grub/sub"), ("loop1", "loop2"),
            ("loop2", "loop1"), ("chain", "grub/sub/back"), ("dangling", "nowhere"), ("dotdot", "../../../.."),
        ]
        for (link, target) in links {
            try fm.createSymbolicLink(atPath: disk.appendingPathComponent(link).path, withDestinationPath: target)
        }
        let root = open(disk.path, clinux_o_path() | O_DIRECTORY | O_CLOEXEC)
        try #require(root >= 0)
        defer { close(root) }
        let paths = [
            "/", "boot", "/boot/vmlinuz", "boot/absolute", "boot/up", "/boot/inside", "boot/relative", "/grub/grub.cfg",
            "/boot/grub/sub/back", "boot/dirlink/back", "boot/dirlink/../grub.cfg", "boot/dirlink/../../vmlinuz", "/loop1",
            "chain", "dangling", "dotdot/boot/vmlinuz", "../../boot/vmlinuz", "boot/./grub//grub.cfg", "boot/vmlinuz/x",
            "missing/file", "/dotdot",
        ]
        var differences: [String] = []
        for path in paths {
            for flags in [O_RDONLY, O_RDONLY | O_DIRECTORY, clinux_o_path()] {
                let kernel = outcome(clinux_open_in_root(root, path, flags))
                let walked = outcome(clinux_open_in_root_walk(root, path, flags))
                if kernel != walked { differences.append("\(path) flags \(flags): openat2 \(kernel), walk \(walked)") }
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // And the walk reaches what it should.
        #expect(outcome(clinux_open_in_root_walk(root, "boot/dirlink/back", O_RDONLY)) == outcome(open(disk.appendingPathComponent("boot/vmlinuz").path, O_RDONLY)))
        #expect(outcome(clinux_open_in_root_walk(root, "/loop1", O_RDONLY)) == .error(ELOOP))
    }
}
