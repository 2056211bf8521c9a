// Reads files of a FAT12/16/32 filesystem; names compare case-insensitively, as Linux vfat does.

import BootModel

struct FATFileView: DirectoryTree {
    /// A directory (cluster 0 stands for the root) or a file.
    struct Node: Sendable {
        let isDirectory: Bool
        let cluster: UInt32
        let size: UInt32
    }

    let volume: FATVolume

    init(_ volume: FATVolume) { self.volume = volume }

    var rootNode: Node { Node(isDirectory: true, cluster: 0, size: 0) }

    func isDirectory(_ node: Node) -> Bool { node.isDirectory }

    func entries(of directory: Node) -> [(name: String, node: Node)]? {
        guard directory.isDirectory else { return nil }
        // ".." of a first-level directory points at cluster 0; FAT32's root has a real cluster.
        let bytes = directory.cluster == 0 ? volume.readRootDirectory() : volume.readDirectory(cluster: directory.cluster)
        guard let bytes else { return nil }
        return FATDirectoryEntry.parse(bytes).map { entry in
            (entry.name, Node(isDirectory: entry.isDirectory, cluster: entry.firstCluster, size: entry.size))
        }
    }

    func lookup(_ name: String, in directory: Node) -> Node? {
        let wanted = TextDecoding.foldCase(name)
        return entries(of: directory)?.first { TextDecoding.foldCase($0.name) == wanted }?.node
    }

    func symlinkTarget(of node: Node) -> String? { nil }

    func fileContents(of node: Node) -> [UInt8]? {
        guard !node.isDirectory, Int(node.size) <= fileSizeLimit else { return nil }
        return volume.readFile(cluster: node.cluster, size: node.size)
    }
}
