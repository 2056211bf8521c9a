// Reads files of an ISO 9660 filesystem: Rock Ridge names first, then Joliet, then plain names.

import BootModel

/// Rock Ridge names compare exactly; Joliet and plain names case-insensitively (Linux's
/// defaults), and plain names are shown in lower case without ";1" as Linux shows them.
struct ISOFileView: DirectoryTree {
    struct Node: Sendable {
        let record: ISODirectoryRecord
        let symlink: String?
    }

    let volume: ISOVolume

    init(_ volume: ISOVolume) { self.volume = volume }

    /// Directories larger than this are not read.
    static let directorySizeLimit: UInt32 = 16 << 20

    var rootNode: Node { Node(record: volume.root, symlink: nil) }

    func isDirectory(_ node: Node) -> Bool { node.record.isDirectory && node.symlink == nil }

    private var caseSensitive: Bool {
        if case .rockRidge = volume.naming { return true }
        return false
    }

    func entries(of directory: Node) -> [(name: String, node: Node)]? {
        guard isDirectory(directory), directory.record.size <= Self.directorySizeLimit,
              let bytes = data(of: directory.record) else { return nil }
        var result: [(name: String, node: Node)] = []
        for record in ISODirectoryRecord.parse(bytes, sectorSize: Int(ISOVolume.sectorSize)) where !record.isDotOrDotDot {
            switch volume.naming {
            case .rockRidge(let skip):
                let entries = RockRidgeEntries(systemUse: record.systemUse, skip: skip, source: volume.source, blockSize: volume.blockSize)
                if entries.isRelocated { continue }
                let name = entries.name ?? Self.plainName(record.name)
                result.append((name, Node(record: record, symlink: entries.symlink)))
            case .joliet:
                result.append((Self.versionStripped(TextDecoding.utf16BigEndian(record.name)), Node(record: record, symlink: nil)))
            case .plain:
                result.append((Self.plainName(record.name), Node(record: record, symlink: nil)))
            }
        }
        return result
    }

    func lookup(_ name: String, in directory: Node) -> Node? {
        guard let entries = entries(of: directory) else { return nil }
        if caseSensitive { return entries.first { $0.name == name }?.node }
        let wanted = name.lowercased()
        return entries.first { $0.name.lowercased() == wanted }?.node
    }

    func symlinkTarget(of node: Node) -> String? { node.symlink }

    func fileContents(of node: Node) -> [UInt8]? {
        guard !isDirectory(node), node.symlink == nil, Int(node.record.size) <= fileSizeLimit else { return nil }
        return data(of: node.record)
    }

    private func data(of record: ISODirectoryRecord) -> [UInt8]? {
        let block = UInt64(record.extent) + UInt64(record.extendedAttributeLength)
        guard let offset = Checked.multiply(block, volume.blockSize) else { return nil }
        return volume.source.bytes(at: offset, count: Int(record.size))
    }

    /// "NAME.EXT;1" → "name.ext", and "NAME.;1" → "name".
    static func plainName(_ bytes: [UInt8]) -> String {
        TextDecoding.foldCase(versionStripped(TextDecoding.utf8(bytes)))
    }

    static func versionStripped(_ name: String) -> String {
        var result = Substring(name)
        if let semicolon = result.lastIndex(of: ";") { result = result[..<semicolon] }
        if result.hasSuffix("."), result.count > 1 { result = result.dropLast() }
        return String(result)
    }
}
