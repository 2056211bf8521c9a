// What will be booted: host paths of kernel and initrds and the final command line.

import BootConfig
import LinuxPlatform

public struct BootPlan: Sendable, Hashable {
    public var kernel: String
    public var initrds: [String]
    public var commandLine: String

    /// The plan for an entry. Paths on the configuration's own device resolve on `source`
    /// (nil for a kernel typed by hand), others on the mounted device they name. `consoles`
    /// are added as `console=` when the entry names none. Fails with a message when the entry
    /// cannot boot or a file is missing.
    public static func make(entry: BootEntry, source: BootSource?, mounts: [MountedDevice], consoles: [String]) -> Result<BootPlan, BootPlanError> {
        if let reason = entry.unbootableReason { return .failure(BootPlanError(message: reason)) }
        guard let kernel = entry.kernel else { return .failure(BootPlanError(message: "no kernel")) }
        var hostPaths: [String] = []
        for file in [kernel] + entry.initrds {
            switch hostPath(of: file, source: source, mounts: mounts) {
            case .success(let path): hostPaths.append(path)
            case .failure(let error): return .failure(error)
            }
        }
        let commandLine = KernelCommandLine(entry.commandLine).addingConsoles(consoles)
        return .success(BootPlan(kernel: hostPaths[0], initrds: Array(hostPaths.dropFirst()), commandLine: commandLine.description))
    }

    static func hostPath(of file: BootFile, source: BootSource?, mounts: [MountedDevice]) -> Result<String, BootPlanError> {
        let all = (source.map { [$0.mount] } ?? []) + mounts
        let holder: MountedDevice?
        switch file.device {
        case .configDevice: holder = source?.mount
        case .named(let name): holder = all.first { $0.device.name == name }
        case .uuid(let uuid): holder = all.first { $0.device.probe.uuid?.lowercased() == uuid.lowercased() }
        case .label(let label): holder = all.first { $0.device.probe.label == label }
        case .unknown: holder = nil
        }
        guard let holder else {
            let which = file.device == .configDevice ? "name the device, e.g. vda1:\(file.path)" : "waiting for device \(file.device) for \(file.path)"
            return .failure(BootPlanError(message: which))
        }
        guard holder.view.exists(file.path) else { return .failure(BootPlanError(message: "\(file): No such file or directory")) }
        return .success(holder.view.hostPath(file.path))
    }
}

public struct BootPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
