// The entries of all boot sources as one menu: items to show, the default and timeout it starts
// with, and the boot plan for a request.

import BootModel
import BootMenu
import Discovery

package struct MenuModel {
    package struct Choice {
        package var entry: BootEntry
        package var source: BootSource
        /// The entry's place in its source's configuration.
        package var index: Int
    }

    package var choices: [Choice] = []
    package var sources: [BootSource]
    package var mounts: [MountedDevice]
    package var defaultIndex = 0
    package var timeout: Int?
    package var style: MenuState.CountdownStyle = .menu

    /// The source whose configuration gave the default and the timeout: its device and path.
    package var decidingSource: String?

    /// The first source's configuration decides the default and the timeout — or the source
    /// that decided them before (`keeping`), while it is there: a device that answers late and
    /// sorts first must not move the default under a running countdown. `options` override.
    package init(sources: [BootSource], mounts: [MountedDevice], options: BatonOptions, keeping previous: String? = nil) {
        self.sources = sources
        self.mounts = mounts
        let deciding = sources.firstIndex { Self.key($0) == previous } ?? 0
        for (n, source) in sources.enumerated() {
            if n == deciding {
                decidingSource = Self.key(source)
                defaultIndex = choices.count + source.configuration.defaultIndex
                timeout = source.configuration.timeout
                style = switch source.configuration.timeoutStyle {
                case .menu: .menu
                case .countdown: .countdown
                case .hidden: .hidden
                }
            }
            choices += source.configuration.entries.enumerated().map { Choice(entry: $1, source: source, index: $0) }
        }
        if let forced = options.timeout { timeout = forced }
    }

    package static func key(_ source: BootSource) -> String { source.mount.device.name + ":" + source.configuration.path }

    /// Menu items; `consoleRule` says in the details which console= the entry will get. No file
    /// is opened here: what opening an entry's files said comes from examination.
    package func items(consoleRule: String) -> [MenuItem] {
        choices.map { choice in
            let entry = choice.entry
            let problem: String? = switch BootPlan.make(entry: entry, source: choice.source, mounts: mounts, consoles: [], openFiles: false) {
            case .success: choice.source.fileProblem(ofEntry: choice.index)
            case .failure(let error): error.message
            }
            let device = choice.source.mount.device
            var details = [
                "Title:        \(entry.title)",
                "Device:       \(device.summary)",
                "Config:       \(entry.origin)",
                "Kernel:       \(entry.kernel?.description ?? "(none)")",
                "Initrds:      \(entry.initrds.isEmpty ? "(none)" : entry.initrds.map(\.description).joined(separator: " "))",
            ]
            if let dtb = entry.devicetree { details.append("Devicetree:   \(dtb)") }
            details.append("Command line: \(entry.commandLine)")
            if !KernelCommandLine(entry.commandLine).contains("console") { details.append("Console:      \(consoleRule)") }
            if let id = entry.id { details.append("Id:           \(id)") }
            if let problem { details.append("Cannot boot:  \(problem)") }
            if let help = entry.help { details.append(help) }
            let diagnostics = choice.source.configuration.diagnostics
            if !diagnostics.isEmpty {
                details.append("\(diagnostics.count) note(s) on \(choice.source.configuration.path):")
                details += diagnostics.prefix(20).map { "  \($0)" }
            }
            return MenuItem(
                title: entry.title, group: "\(device.summary)  \(choice.source.configuration.path)", problem: problem,
                commandLine: entry.commandLine, hotkey: entry.hotkey, details: details)
        }
    }

    /// The plan for a request: an entry (maybe with an edited command line) or a typed kernel.
    package func plan(_ request: BootRequest, consoles: [String]) -> Result<BootPlan, BootPlanError> {
        switch request.target {
        case .entry(let index, let edited):
            guard choices.indices.contains(index) else { return .failure(BootPlanError(message: "no entry \(index)")) }
            var entry = choices[index].entry
            if let edited { entry.commandLine = edited }
            return BootPlan.make(entry: entry, source: choices[index].source, mounts: mounts, consoles: consoles)
        case .typed(let text):
            switch ManualBoot.parse(text) {
            case .failure(let error): return .failure(BootPlanError(message: error.message))
            case .success(let entry): return BootPlan.make(entry: entry, source: nil, mounts: mounts, consoles: consoles)
            }
        }
    }
}
