// What Baton does with what libblkid found on a device: mount it (how, so that nothing is ever
// written) or leave it alone (and why). Pure.

public enum MountDecision: Sendable, Hashable {
    /// Mount read-only with this filesystem type and these options.
    case mount(type: String, options: String)
    /// Not a filesystem Baton reads; the reason goes to the log.
    case skip(String)
}

public enum MountPolicy {
    /// Options that stop a filesystem from replaying its journal or log, which would write the
    /// disk even on a read-only mount.
    public static func options(for type: String) -> String {
        switch type {
        case "ext3", "ext4": "noload"
        case "xfs": "norecovery"
        case "btrfs": "rescue=nologreplay"
        case "f2fs": "norecovery"
        default: ""
        }
    }

    public static func decide(type: String?, usage: String?, partitionTable: String?) -> MountDecision {
        switch (type, usage) {
        case (nil, _):
            if let table = partitionTable { return .skip("partition table (\(table)); its partitions are looked at") }
            return .skip("no filesystem recognised")
        case ("swap", _): return .skip("swap space")
        case ("LVM2_member", _), ("LVM1_member", _): return .skip("LVM physical volume (not assembled by Baton)")
        case (let t?, "raid"): return .skip("RAID member (\(t)); not assembled by Baton")
        case (let t?, "crypto"): return .skip("encrypted volume (\(t)); not unlocked by Baton")
        case (let t?, let u?) where u != "filesystem": return .skip("\(t) is not a filesystem (\(u))")
        case (let t?, _): return .mount(type: t, options: options(for: t))
        }
    }

    /// Why a partition is left alone when its disk holds a filesystem of its own beside the
    /// partition table (nil when it does not). That is a hybrid ISO image written to a disk — an
    /// installer on a USB stick: its partitions hold the same ISO filesystem again and an EFI
    /// system partition. The kernel mounts either the disk or its partitions, never both (the
    /// loser gets EBUSY), and the disk is the whole image, as on a CD, so the disk is read.
    public static func reasonToSkipPartition(of disk: String, diskType: String?, diskUsage: String?) -> String? {
        guard case .mount(let type, _) = decide(type: diskType, usage: diskUsage, partitionTable: nil) else { return nil }
        return "\(disk) holds a filesystem itself (\(type), a hybrid image); \(disk) is read instead of its partitions"
    }
}
