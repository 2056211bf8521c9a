// Tests for uevent parsing and the mount policy (what is mounted, how, and what is skipped,
// hybrid images' partitions included).

import Testing
@testable import Discovery

@Suite struct UeventTests {
    func message(_ fields: String...) -> [UInt8] { Array(fields.joined(separator: "\0").utf8) + [0] }

    @Test func parsesABlockEvent() throws {
        let event = try #require(Uevent.parse(message(
            "add@/devices/pci0000:00/0000:00:03.0/virtio1/block/vda/vda1", "ACTION=add",
            "DEVPATH=/devices/pci0000:00/0000:00:03.0/virtio1/block/vda/vda1", "SUBSYSTEM=block", "DEVNAME=vda1",
            "DEVTYPE=partition", "PARTN=1", "SEQNUM=1234", "MAJOR=254", "MINOR=1")))
        #expect(event.action == "add")
        #expect(event.subsystem == "block")
        #expect(event.deviceName == "vda1")
        #expect(event.isPartition)
        #expect(event.devicePath.hasSuffix("/vda/vda1"))
    }

    @Test func parsesAModalias() throws {
        let event = try #require(Uevent.parse(message("add@/devices/pci0000:00/0000:00:04.0", "ACTION=add", "SUBSYSTEM=pci",
                                                      "MODALIAS=pci:v00001AF4d00001004sv00001AF4sd00000008bc01sc00i00")))
        #expect(event.modalias == "pci:v00001AF4d00001004sv00001AF4sd00000008bc01sc00i00")
        #expect(event.deviceName == nil)
    }

    @Test func rejectsUdevAndGarbage() {
        #expect(Uevent.parse(Array("libudev\0\u{fe}\u{ed}\u{ca}\u{fe}".utf8)) == nil)
        #expect(Uevent.parse([]) == nil)
        #expect(Uevent.parse(Array("no header here".utf8)) == nil)
        #expect(Uevent.parse(Array("add@relative/path\0".utf8)) == nil)
    }

    @Test func devnameWithAFolder() {
        let event = Uevent.parse(message("add@/devices/x/block/sr0", "ACTION=change", "SUBSYSTEM=block", "DEVNAME=/dev/sr0"))
        #expect(event?.action == "change")
        #expect(event?.deviceName == "sr0")
    }
}

@Suite struct MountPolicyTests {
    @Test(arguments: [
        ("ext4", "noload"), ("ext3", "noload"), ("ext2", ""), ("xfs", "norecovery"), ("btrfs", "rescue=nologreplay"),
        ("f2fs", "norecovery"), ("vfat", ""), ("iso9660", ""), ("udf", ""),
    ])
    func filesystemsMountWithoutReplayingJournals(type: String, options: String) {
        #expect(MountPolicy.decide(type: type, usage: "filesystem", partitionTable: nil) == .mount(type: type, options: options))
    }

    @Test func nonFilesystemsAreSkippedWithAReason() {
        #expect(MountPolicy.decide(type: "swap", usage: "other", partitionTable: nil) == .skip("swap space"))
        #expect(MountPolicy.decide(type: "linux_raid_member", usage: "raid", partitionTable: nil) == .skip("RAID member (linux_raid_member); not assembled by Baton"))
        #expect(MountPolicy.decide(type: "crypto_LUKS", usage: "crypto", partitionTable: nil) == .skip("encrypted volume (crypto_LUKS); not unlocked by Baton"))
        #expect(MountPolicy.decide(type: "LVM2_member", usage: "raid", partitionTable: nil) == .skip("LVM physical volume (not assembled by Baton)"))
        #expect(MountPolicy.decide(type: nil, usage: nil, partitionTable: "gpt") == .skip("partition table (gpt); its partitions are looked at"))
        #expect(MountPolicy.decide(type: nil, usage: nil, partitionTable: nil) == .skip("no filesystem recognised"))
    }
}

@Suite struct HybridImageTests {
    @Test func partitionsOfADiskWithAFilesystemAreLeftAlone() throws {
        let reason = try #require(MountPolicy.reasonToSkipPartition(of: "sda", diskType: "iso9660", diskUsage: "filesystem"))
        #expect(reason.contains("sda holds a filesystem itself (iso9660"))
    }

    @Test func partitionsOfAnOrdinaryDiskAreRead() {
        // A partition table alone, a RAID member's disk, or nothing recognised.
        #expect(MountPolicy.reasonToSkipPartition(of: "sda", diskType: nil, diskUsage: nil) == nil)
        #expect(MountPolicy.reasonToSkipPartition(of: "sda", diskType: "linux_raid_member", diskUsage: "raid") == nil)
        #expect(MountPolicy.reasonToSkipPartition(of: "sda", diskType: "swap", diskUsage: "other") == nil)
    }
}
