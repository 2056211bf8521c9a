// XFS and btrfs are identified like blkid does, and reported as unreadable in host mode.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct UnreadableFilesystemTests {
    @Test(arguments: [
        ("mkfs.xfs", ["-q", "-f", "-L", "xfsroot"], UInt64(320 << 20)),
        ("mkfs.btrfs", ["-q", "-f", "-L", "btrfs root"], UInt64(128 << 20)),
    ])
    func identifiedButNotRead(tool: String, options: [String], size: UInt64) throws {
        let scratch = try Scratch()
        let image = try scratch.image("fs.img", size: size)
        try Tool.run(tool, options + [image])
        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        #expect(opened.files.failureValue == .unsupported(type: opened.identity.type))
        #expect(opened.fileView == nil)
        let message = String(describing: opened.files.failureValue.map { $0 } ?? .unrecognised)
        #expect(message.contains("cannot be read in host mode"))
        #expect(message.hasPrefix(opened.identity.type + ":"))
    }
}
