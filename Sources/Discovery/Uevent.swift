// A kernel uevent message ("add@/devices/…\0ACTION=add\0SUBSYSTEM=block\0…") as a value.

public struct Uevent: Sendable, Hashable {
    public var action: String
    public var devicePath: String
    public var properties: [String: String]

    public var subsystem: String? { properties["SUBSYSTEM"] }
    public var modalias: String? { properties["MODALIAS"] }
    /// The kernel name of a block device ("sda1"), for block events.
    public var deviceName: String? { properties["DEVNAME"].map { String($0.split(separator: "/").last ?? Substring($0)) } }
    public var isPartition: Bool { properties["DEVTYPE"] == "partition" }

    /// Parses a kernel uevent datagram. Messages from udev ("libudev" header) and malformed ones give nil.
    public static func parse(_ bytes: [UInt8]) -> Uevent? {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        guard let header = fields.first, let at = header.firstIndex(of: "@") else { return nil }
        var properties: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let eq = field.firstIndex(of: "=") else { continue }
            properties[String(field[..<eq])] = String(field[field.index(after: eq)...])
        }
        let action = properties["ACTION"] ?? String(header[..<at])
        let path = properties["DEVPATH"] ?? String(header[header.index(after: at)...])
        guard !action.isEmpty, path.hasPrefix("/") else { return nil }
        return Uevent(action: action, devicePath: path, properties: properties)
    }
}
