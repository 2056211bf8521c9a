// A block device or partition as Discovery sees it: its kernel name and what libblkid found on it.

import LinuxPlatform

public struct BlockDevice: Sendable, Hashable {
    /// Kernel name, e.g. "vda", "vda1", "sr0".
    public var name: String
    public var isPartition: Bool
    public var probe: BlockProbeResult

    public init(name: String, isPartition: Bool, probe: BlockProbeResult) {
        self.name = name
        self.isPartition = isPartition
        self.probe = probe
    }

    public var devicePath: String { "/dev/" + name }

    /// A short description for the menu and logs: "vda1 ext4 UUID=…".
    public var summary: String {
        var parts = [name]
        if let type = probe.type { parts.append(type) }
        if let label = probe.label { parts.append("LABEL=\(label)") }
        if let uuid = probe.uuid { parts.append("UUID=\(uuid)") }
        return parts.joined(separator: " ")
    }
}
