// Reads GRUB's environment block (grubenv) as grub-core/lib/envblk.c does: a signature line, then
// `name=value` lines, padded with `#`. Read-only: Baton never writes users' disks, so `save_env`
// does nothing.

import BootModel

public enum GrubEnvFile {
    /// The first line of every environment block.
    public static let signature = "# GRUB Environment Block\n"

    /// The variables of the first grubenv found where GRUB installs keep it, last value of a name
    /// winning; empty when there is none. Standalone BLS entries refer to them (`$kernelopts`).
    public static func variables(in view: some FileView) -> [String: String] {
        for path in ["/grub2/grubenv", "/boot/grub2/grubenv", "/grub/grubenv", "/boot/grub/grubenv"] {
            if let text = view.text(of: path) {
                return Dictionary(parse(text).map { ($0.name, $0.value) }) { _, last in last }
            }
        }
        return [:]
    }

    /// The variables of an environment block, in file order; nil when the text lacks the signature
    /// (GRUB's load_env refuses such a file: "invalid environment block").
    public static func block(_ text: String) -> [(name: String, value: String)]? {
        guard text.hasPrefix(signature) else { return nil }
        return parse(String(text.dropFirst(signature.count)))
    }

    /// The variables of the text after the signature (a missing signature is tolerated here).
    /// Lines starting with `#` are skipped; a name runs to the first `=` (even across lines, as in
    /// GRUB); a backslash keeps the next character (`\\` is `\`, backslash-newline a newline); a
    /// last line without a newline is ignored, as GRUB ignores it.
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        var chars = Array(text.hasPrefix(signature) ? String(text.dropFirst(signature.count)) : text)[...]
        var result: [(String, String)] = []
        while let first = chars.first {
            if first == "#" {
                while let c = chars.popFirst(), c != "\n" {}
                continue
            }
            var name = ""
            while let c = chars.first, c != "=" {
                name.append(c)
                chars = chars.dropFirst()
            }
            guard chars.popFirst() == "=" else { break }
            var value = ""
            var complete = false
            while let c = chars.popFirst() {
                if c == "\n" {
                    complete = true
                    break
                }
                if c == "\\" {
                    guard let next = chars.popFirst() else { break }
                    value.append(next)
                } else {
                    value.append(c)
                }
            }
            guard complete else { break }
            result.append((name, value))
        }
        return result
    }

    /// `$name` and `${name}` replaced from the variables (unknown names give nothing), words split
    /// and joined with one space as GRUB's lexer splits them: how a BLS entry's values read grubenv.
    public static func expand(_ text: String, _ variables: [String: String]) -> String {
        guard text.contains("$") else { return text }
        let tokens = GrubLexer.tokens(text)
        var out: [String] = []
        for token in tokens {
            guard case .word(let word) = token.kind else { continue }
            var piece = ""
            for part in word.parts {
                switch part {
                case .text(let t, _): piece += t
                case .variable(let name, _): piece += variables[name] ?? ""
                }
            }
            out.append(piece)
        }
        return out.joined(separator: " ")
    }
}
