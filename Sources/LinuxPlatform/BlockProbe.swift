// Identifying what a block device holds with libblkid: filesystem type, UUID, label, partition info.

internal import CBlkid
import Glibc

public struct BlockProbeResult: Sendable, Hashable {
    public var type: String?
    public var uuid: String?
    public var label: String?
    /// Partition table type on a whole disk ("dos", "gpt").
    public var partitionTable: String?
    public var partUUID: String?
    public var usage: String?

    public init(type: String? = nil, uuid: String? = nil, label: String? = nil, partitionTable: String? = nil, partUUID: String? = nil, usage: String? = nil) {
        self.type = type
        self.uuid = uuid
        self.label = label
        self.partitionTable = partitionTable
        self.partUUID = partUUID
        self.usage = usage
    }
}

public enum BlockProbe {
    /// Probes the device read-only. Nothing recognised gives an empty result, not an error.
    public static func probe(_ device: String) throws(SystemError) -> BlockProbeResult {
        var info = cblkid_info()
        let rc = cblkid_probe(device, &info)
        if rc < 0 && rc != -2 { throw SystemError("blkid_probe", device, errno: -rc) }
        func field<T>(_ tuple: T) -> String? {
            let s = withUnsafeBytes(of: tuple) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            return s.isEmpty ? nil : s
        }
        return BlockProbeResult(
            type: field(info.type), uuid: field(info.uuid), label: field(info.label),
            partitionTable: field(info.pttype), partUUID: field(info.partuuid), usage: field(info.usage))
    }
}
