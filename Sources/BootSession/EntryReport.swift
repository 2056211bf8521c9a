// What host mode prints about a menu: `baton list` as text or JSON (one object per entry, the
// same object the worker prints as `baton-entry` lines for the e2e tests), and the boot plan of
// `--dry-run`. Hand-written JSON: Baton carries no Foundation.

import BootMenu
import BootModel
import Discovery

package enum EntryReport {
    /// The entries as a JSON array, one object per line.
    package static func json(_ model: MenuModel) -> String {
        "[\n" + model.choices.indices.map { "  " + jsonEntry(model, $0) }.joined(separator: ",\n") + "\n]"
    }

    /// One entry as a JSON object on one line.
    package static func jsonEntry(_ model: MenuModel, _ n: Int) -> String {
        let choice = model.choices[n]
        let e = choice.entry
        var fields = [
            "\"title\": \(jsonString(e.title))",
            "\"device\": \(jsonString(choice.source.label))",
            "\"kernel\": \(e.kernel.map { jsonString($0.description) } ?? "null")",
            "\"initrds\": [\(e.initrds.map { jsonString($0.description) }.joined(separator: ", "))]",
            "\"cmdline\": \(jsonString(e.commandLine))",
            "\"default\": \(n == model.defaultIndex)",
            "\"origin\": \(jsonString(e.origin.description))",
        ]
        if let id = e.id { fields.append("\"id\": \(jsonString(id))") }
        if let dtb = e.devicetree { fields.append("\"devicetree\": \(jsonString(dtb.description))") }
        if let reason = e.unbootableReason { fields.append("\"unbootable\": \(jsonString(reason))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    package static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The entries as text lines: `*` marks the default, then kernel, initrds and devicetree.
    package static func text(_ model: MenuModel) -> [String] {
        var lines: [String] = []
        for (n, choice) in model.choices.enumerated() {
            let entry = choice.entry
            let mark = n == model.defaultIndex ? "*" : " "
            lines.append("\(mark) \(n) \(entry.title)   [\(choice.source.label) \(choice.source.configuration.path)]")
            if let reason = entry.unbootableReason { lines.append("      unbootable: \(reason)") }
            if let kernel = entry.kernel { lines.append("      linux  \(kernel) \(entry.commandLine)") }
            if !entry.initrds.isEmpty { lines.append("      initrd \(entry.initrds.map(\.description).joined(separator: " "))") }
            if let dtb = entry.devicetree { lines.append("      dtb    \(dtb)") }
        }
        lines.append("timeout: " + (model.timeout.map { "\($0) s" } ?? "none (wait for the user)"))
        return lines
    }

    /// What `--dry-run` prints for entry `entry` (the default when nil) booted with `console`.
    package static func plan(_ model: MenuModel, entry: Int?, console: String?) -> Result<[String], BootPlanError> {
        let index = entry ?? model.defaultIndex
        guard model.choices.indices.contains(index) else {
            return .failure(BootPlanError(message: "no entry \(index) (there are \(model.choices.count))"))
        }
        let title = model.choices[index].entry.title
        switch model.plan(BootRequest(.entry(index: index, commandLine: nil), console: nil), consoles: console.map { [$0] } ?? []) {
        case .failure(let error):
            return .failure(BootPlanError(message: "cannot boot \"\(title)\": \(error)"))
        case .success(let plan):
            return .success([
                "would boot: \(title)",
                "kernel:     \(plan.kernel)",
                "initrds:    \(plan.initrds.map(\.description).joined(separator: " "))",
                "cmdline:    \(plan.commandLine)",
            ])
        }
    }
}
