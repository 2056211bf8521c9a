// Reads GRUB's environment block (grubenv): `name=value` lines after a header, padded with `#`.
// Read-only: Baton never writes users' disks, so `save_env` does nothing.

public enum GrubEnvFile {
    /// The variables of a grubenv file, in file order. Backslash escapes (`\\`, `\n`) are undone.
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<eq])
            guard !name.isEmpty else { continue }
            var value = ""
            var escaped = false
            for c in line[line.index(after: eq)...] {
                if escaped {
                    value.append(c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    value.append(c)
                }
            }
            result.append((name, value))
        }
        return result
    }
}
