// A kernel command line as a list of parameters: parsing, lookup, and the `console=` Baton adds.

public struct KernelCommandLine: Sendable, Hashable, CustomStringConvertible {
    /// Parameters as written, e.g. `root=/dev/sda1`, `quiet`, `"acpi_osi=Windows 2020"` unquoted.
    public var parameters: [String]

    /// Splits on blanks outside double quotes, as the kernel does; quotes are removed.
    public init(_ text: String) {
        var params: [String] = []
        var current = ""
        var inQuotes = false
        var any = false
        for c in text {
            if c == "\"" {
                inQuotes.toggle()
                any = true
            } else if !inQuotes, c == " " || c == "\t" || c == "\n" {
                if any { params.append(current) }
                current = ""
                any = false
            } else {
                current.append(c)
                any = true
            }
        }
        if any { params.append(current) }
        parameters = params
    }

    /// The value of the last `key=value` parameter for key, or nil.
    public func value(of key: String) -> String? {
        for p in parameters.reversed() {
            if p.hasPrefix(key + "=") { return String(p.dropFirst(key.count + 1)) }
        }
        return nil
    }

    /// Whether the flag `key` (without `=`) or `key=…` is present.
    public func contains(_ key: String) -> Bool {
        parameters.contains { $0 == key || $0.hasPrefix(key + "=") }
    }

    /// The command line with `console=<console>` appended, unless it already names a console.
    public func addingConsole(_ console: String?) -> KernelCommandLine {
        addingConsoles(console.map { [$0] } ?? [])
    }

    /// The command line with a `console=` for each, in order, unless it already names a console.
    public func addingConsoles(_ consoles: [String]) -> KernelCommandLine {
        guard !consoles.isEmpty, !contains("console") else { return self }
        var copy = self
        copy.parameters += consoles.map { "console=" + $0 }
        return copy
    }

    /// The values of every `key=` parameter, in order (e.g. all consoles).
    public func values(of key: String) -> [String] {
        parameters.filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    public var description: String {
        parameters.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
    }
}
