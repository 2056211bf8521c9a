// The entries of all boot sources as one list, with the default and timeout the menu starts from.

import BootConfig
import BootMenu
import Discovery

struct MenuModel {
    struct Choice {
        var entry: BootEntry
        var source: BootSource
    }

    var choices: [Choice] = []
    var sources: [BootSource]
    var defaultIndex = 0
    var timeout: Int?

    /// The first source's configuration decides the default and the timeout; `options` override.
    init(sources: [BootSource], options: BatonOptions) {
        self.sources = sources
        for (n, source) in sources.enumerated() {
            if n == 0 {
                defaultIndex = source.configuration.defaultIndex
                timeout = source.configuration.timeout
            }
            choices += source.configuration.entries.map { Choice(entry: $0, source: source) }
        }
        if let forced = options.timeout { timeout = forced }
    }

    func items(console: String?) -> [MenuItem] {
        choices.map { choice in
            let problem: String? = switch BootPlan.make(entry: choice.entry, source: choice.source, sources: sources, console: console) {
            case .success: nil
            case .failure(let error): error.message
            }
            return MenuItem(title: choice.entry.title, detail: choice.source.label, problem: problem)
        }
    }

    func plan(_ index: Int, console: String?) -> Result<BootPlan, BootPlanError> {
        guard choices.indices.contains(index) else { return .failure(BootPlanError(message: "no entry \(index)")) }
        return BootPlan.make(entry: choices[index].entry, source: choices[index].source, sources: sources, console: console)
    }
}
