// iPXE scripts (`#!ipxe`) as Baton reads them: the script's lines — labels and commands — and
// iPXE's command-line rules: words split at blanks, `&&`, `||` and `;` between commands, `#`
// starting a comment, and `${setting}` expanded in each word just before its command runs.

import BootModel

/// One line of a script: a label (`:name`) or a command line, with its line number.
struct IPXELine: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case label(String)
        case command([String])
    }

    var kind: Kind
    var number: Int
}

/// A script split into lines; nil-free: a text that is not an iPXE script is told by `isScript`.
struct IPXEScript: Sendable {
    var url: String
    var lines: [IPXELine]
    /// Label name → index into `lines`.
    var labels: [String: Int]

    /// Whether `bytes` start as an iPXE script does (`#!ipxe`, any case, after blanks).
    static func isScript(_ bytes: some Collection<UInt8>) -> Bool {
        let start = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.prefix(6)
        return start.count == 6 && String(decoding: start, as: UTF8.self).lowercased() == "#!ipxe"
    }

    init(text: String, url: String) {
        self.url = url
        lines = []
        labels = [:]
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let words = Self.words(raw)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            if first.hasPrefix(":") {
                let name = String(first.dropFirst())
                if labels[name] == nil { labels[name] = lines.count }
                lines.append(IPXELine(kind: .label(name), number: number))
            } else {
                lines.append(IPXELine(kind: .command(words), number: number))
            }
        }
    }

    /// A line's words: split at blanks (iPXE has no quoting).
    static func words(_ line: Substring) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
    }
}

/// How the next command of a line depends on the one before: `&&`, `||`, `;`.
enum IPXEJoin: Sendable, Equatable {
    case onSuccess, onFailure, always

    /// The commands of one line with the join that follows each (nil after the last); a `#`
    /// word starts a comment that runs to the end of the line.
    static func split(_ words: [String]) -> [(words: [String], next: IPXEJoin?)] {
        var commands: [(words: [String], next: IPXEJoin?)] = []
        var current: [String] = []
        for word in words {
            if word.hasPrefix("#") { break }
            let join: IPXEJoin? = switch word {
            case "&&": .onSuccess
            case "||": .onFailure
            case ";": .always
            default: nil
            }
            if let join {
                commands.append((current, join))
                current = []
            } else {
                current.append(word)
            }
        }
        commands.append((current, nil))
        return commands
    }
}
