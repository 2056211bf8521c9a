// Small pure checks: byte regions, checksums, name decoding.

import BootModel
@testable import DiskImage
import Testing

@Suite struct UnitTests {
    @Test func byteRegionStaysInside() {
        let base = MemoryBytes(Array(0..<100))
        let region = ByteRegion(base, offset: 90, length: 50)
        #expect(region.size == 10, "clamped to the base")
        #expect(region.read(at: 0, count: 3) == [90, 91, 92])
        #expect(region.read(at: 8, count: 3) == nil)
        #expect(region.read(at: UInt64.max, count: 1) == nil)
        #expect(base.read(at: 99, count: 1) == [99])
        #expect(base.read(at: 100, count: 1) == nil)
        #expect(base.read(at: 0, count: -1) == nil)
    }

    @Test func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func shortNameChecksumAndCase() {
        #expect(FATDirectoryEntry.shortNameChecksum(Array("README  TXT".utf8)) == 0x73)
        var raw = Array("GRUB    CFG".utf8) + [UInt8](repeating: 0, count: 21)
        raw[12] = 0x18
        #expect(FATDirectoryEntry.shortName(raw) == "grub.cfg")
        raw[12] = 0x08
        #expect(FATDirectoryEntry.shortName(raw) == "grub.CFG")
    }

    @Test func uuidAndGUIDText() {
        let bytes: [UInt8] = [0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11, 0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B]
        #expect(TextDecoding.guid(bytes) == "c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
        #expect(TextDecoding.uuid(bytes) == "28732ac1-1ff8-d211-ba4b-00a0c93ec93b")
        #expect(TextDecoding.uuid([UInt8](repeating: 0, count: 16)) == nil)
    }

    @Test func isoPlainNames() {
        #expect(ISOFileView.plainName(Array("GRUB.CFG;1".utf8)) == "grub.cfg")
        #expect(ISOFileView.plainName(Array("README.;1".utf8)) == "readme")
        #expect(ISOFileView.plainName(Array("BOOT".utf8)) == "boot")
    }

    @Test func rockRidgeSymlinkComponents() {
        var builder = SymlinkBuilder()
        // ROOT, "usr", "lib" continued by "64": "/usr/lib64"
        builder.add(components: [0x08, 0, 0x00, 3] + Array("usr".utf8) + [0x01, 3] + Array("lib".utf8))
        builder.add(components: [0x00, 2] + Array("64".utf8))
        #expect(builder.target == "/usr/lib64")
        var relative = SymlinkBuilder()
        relative.add(components: [0x04, 0, 0x00, 4] + Array("boot".utf8))
        #expect(relative.target == "../boot")
    }
}
