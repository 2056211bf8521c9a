// Tests that a directory seen as a disk cannot be left: symlinks, "..", FIFOs and huge files.

import Foundation
import Testing
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
        FileManager.default.createFile(atPath: big.path, contents: nil)
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
