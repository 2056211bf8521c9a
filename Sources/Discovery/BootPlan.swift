// What will be booted: host paths of kernel and initrds and the final command line.

import BootConfig
import LinuxPlatform

public struct BootPlan: Sendable, Hashable {
    public var kernel: String
    public var initrds: [String]
    public var commandLine: String

    /// The plan for an entry of a source, adding `console=` when the entry names none.
    /// Fails with a message when the entry cannot boot or a file is missing.
    public static func make(entry: BootEntry, source: BootSource, console: String?) -> Result<BootPlan, BootPlanError> {
        if let reason = entry.unbootableReason { return .failure(BootPlanError(message: reason)) }
        guard let kernel = entry.kernel else { return .failure(BootPlanError(message: "no kernel")) }
        let view = source.view
        for path in [kernel] + entry.initrds where !view.exists(path) {
            return .failure(BootPlanError(message: "\(path): No such file or directory"))
        }
        let commandLine = KernelCommandLine(entry.commandLine).addingConsole(console)
        return .success(BootPlan(
            kernel: view.hostPath(kernel), initrds: entry.initrds.map(view.hostPath), commandLine: commandLine.description))
    }
}

public struct BootPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
