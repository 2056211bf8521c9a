// What will be booted: host paths of kernel and initrds and the final command line.

import BootConfig
import LinuxPlatform

public struct BootPlan: Sendable, Hashable {
    public var kernel: String
    public var initrds: [String]
    public var commandLine: String

    /// The plan for an entry of a source, adding `console=` when the entry names none.
    /// `sources` are all mounted sources, for files on other devices than the configuration's.
    /// Fails with a message when the entry cannot boot or a file is missing.
    public static func make(entry: BootEntry, source: BootSource, sources: [BootSource] = [], console: String?) -> Result<BootPlan, BootPlanError> {
        if let reason = entry.unbootableReason { return .failure(BootPlanError(message: reason)) }
        guard let kernel = entry.kernel else { return .failure(BootPlanError(message: "no kernel")) }
        var hostPaths: [String] = []
        for file in [kernel] + entry.initrds {
            switch hostPath(of: file, source: source, sources: sources) {
            case .success(let path): hostPaths.append(path)
            case .failure(let error): return .failure(error)
            }
        }
        let commandLine = KernelCommandLine(entry.commandLine).addingConsole(console)
        return .success(BootPlan(kernel: hostPaths[0], initrds: Array(hostPaths.dropFirst()), commandLine: commandLine.description))
    }

    static func hostPath(of file: BootFile, source: BootSource, sources: [BootSource]) -> Result<String, BootPlanError> {
        let holder: BootSource?
        switch file.device {
        case .configDevice: holder = source
        case .named(let name): holder = ([source] + sources).first { $0.device?.name == name }
        case .uuid(let uuid): holder = ([source] + sources).first { $0.device?.probe.uuid == uuid }
        case .label(let label): holder = ([source] + sources).first { $0.device?.probe.label == label }
        case .unknown: holder = nil
        }
        guard let holder else { return .failure(BootPlanError(message: "waiting for device \(file.device) for \(file.path)")) }
        guard holder.view.exists(file.path) else { return .failure(BootPlanError(message: "\(file): No such file or directory")) }
        return .success(holder.view.hostPath(file.path))
    }
}

public struct BootPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
