// What will be booted: host paths of kernel and initrds and the final command line.

import BootModel
import Glibc
import LinuxPlatform
import Network

/// A file to boot, inside the filesystem that holds it, or on the server that serves it.
public struct PlannedFile: Sendable, Hashable, CustomStringConvertible {
    public var root: String
    public var path: String
    /// Where to fetch the file, for a network source (`root` is then the server's).
    public var url: NetworkURL?

    public init(root: String, path: String, url: NetworkURL? = nil) {
        self.root = root
        self.path = path
        self.url = url
    }

    public var view: HostFileView { HostFileView(root: root) }
    public var description: String { url?.description ?? view.hostPath(path) }

    /// The largest file a network source may hand over (a kernel, an initrd).
    public static let networkSizeLimit = 1 << 30

    /// Opens it as a regular file, resolved inside its filesystem only; a network file is
    /// fetched whole into a memory file first, telling `watch` how far it got, over a connection
    /// from `connections` where one to its server is open.
    public func open(watch: TransferWatch? = nil, connections: HTTPConnections? = nil) throws(SystemError) -> FileDescriptor {
        guard let url else { return try view.openRegularFile(path) }
        let file = try Kexec.memoryFile(name: String(url.path.split(separator: "/").last ?? "file"))
        switch NetworkTransfers.fetch(url, into: file.raw, maxSize: Self.networkSizeLimit, watch: watch, connections: connections) {
        case .success:
            _ = lseek(file.raw, 0, SEEK_SET)
            return file
        case .failure(let error): throw SystemError("fetch", description, errno: error.errno, explanation: error.message)
        }
    }
}

public struct BootPlan: Sendable, Hashable {
    public var kernel: PlannedFile
    public var initrds: [PlannedFile]
    public var commandLine: String

    /// The plan for an entry. Paths on the configuration's own device resolve on `source`
    /// (nil for a kernel typed by hand), others on the mounted device they name. `consoles`
    /// are added as `console=` when the entry names none. Fails with a message when the entry
    /// cannot boot or a file is missing. Without `openFiles` no file is touched: the files'
    /// holders are found, but whether the files open is left to the boot (the menu's own thread
    /// does no I/O; examination recorded what opening them said, `fileProblems`).
    public static func make(
        entry: BootEntry, source: BootSource?, mounts: [MountedDevice], consoles: [String], openFiles: Bool = true
    ) -> Result<BootPlan, BootPlanError> {
        if let reason = entry.unbootableReason { return .failure(BootPlanError(message: reason)) }
        guard let kernel = entry.kernel else { return .failure(BootPlanError(message: "no kernel")) }
        var files: [PlannedFile] = []
        for file in [kernel] + entry.initrds {
            switch plannedFile(file, source: source, mounts: mounts, open: openFiles) {
            case .success(let planned): files.append(planned)
            case .failure(let error): return .failure(error)
            }
        }
        let commandLine = KernelCommandLine(entry.commandLine).addingConsoles(consoles)
        return .success(BootPlan(kernel: files[0], initrds: Array(files.dropFirst()), commandLine: commandLine.description))
    }

    /// What opening each entry's files says, as examination records it: the message where the
    /// plan is fine but a file does not open, nil elsewhere (fine, or a reason the menu finds
    /// without opening anything).
    public static func fileProblems(of configuration: BootConfiguration, on mount: MountedDevice, mounts: [MountedDevice]) -> [String?] {
        let source = BootSource(mount: mount, configuration: configuration)
        return configuration.entries.map { entry in
            guard case .success = make(entry: entry, source: source, mounts: mounts, consoles: [], openFiles: false),
                  case .failure(let error) = make(entry: entry, source: source, mounts: mounts, consoles: []) else { return nil }
            return error.message
        }
    }

    static func plannedFile(_ file: BootFile, source: BootSource?, mounts: [MountedDevice], open: Bool) -> Result<PlannedFile, BootPlanError> {
        let all = (source.map { [$0.mount] } ?? []) + mounts
        let holder: MountedDevice?
        switch file.device {
        case .configDevice: holder = source?.mount
        case .named(let name): holder = all.first { $0.device.name == name }
        case .uuid(let uuid): holder = all.first { $0.device.probe.uuid?.lowercased() == uuid.lowercased() }
        case .label(let label): holder = all.first { $0.device.probe.label == label }
        case .unknown: holder = nil
        case .server(let root):
            // Another server than the configuration's: the file is fetched from it.
            guard let url = try? NetworkURL(root + file.path) else { return .failure(BootPlanError(message: "\(file): not a URL Baton can fetch")) }
            return networkFile(file.path, on: NetworkFileView(server: url), root: root, open: open)
        }
        guard let holder else {
            let which = file.device == .configDevice ? "name the device, e.g. vda1:\(file.path)" : "waiting for device \(file.device) for \(file.path)"
            return .failure(BootPlanError(message: which))
        }
        if let network = holder.imageFiles as? NetworkFileView {
            return networkFile(file.path, on: network, root: holder.root, open: open)
        }
        guard open else { return .success(PlannedFile(root: holder.root, path: file.path)) }
        do {
            _ = try holder.view.openRegularFile(file.path)
        } catch {
            let reason = error.isInvalidArgument ? "not a regular file" : error.message
            return .failure(BootPlanError(message: "\(file): \(reason)"))
        }
        return .success(PlannedFile(root: holder.root, path: file.path))
    }

    /// A file on a server: asked for, not downloaded (the boot fetches it).
    static func networkFile(_ path: String, on server: NetworkFileView, root: String, open: Bool) -> Result<PlannedFile, BootPlanError> {
        let url = server.url(of: path)
        if open, let problem = server.problem(path) { return .failure(BootPlanError(message: "\(url): \(problem)")) }
        return .success(PlannedFile(root: root, path: path, url: url))
    }
}

public struct BootPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
