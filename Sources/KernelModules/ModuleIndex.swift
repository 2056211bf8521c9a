// The kernel's module database (modules.dep, modules.alias, modules.softdep, modules.builtin)
// as values, and the order in which modules must be loaded. Pure: text in, paths out.

import BootModel

/// Module names compare with `-` and `_` as the same character, as the kernel does.
public func canonicalModuleName(_ name: String) -> String {
    String(name.map { $0 == "-" ? "_" : $0 })
}

public struct ModuleIndex: Sendable {
    /// Module name → its file, relative to /lib/modules/KVER.
    public private(set) var paths: [String: String] = [:]
    /// Module name → names it depends on, as modules.dep lists them.
    public private(set) var dependencies: [String: [String]] = [:]
    /// (pattern, module) pairs from modules.alias, in file order.
    public private(set) var aliases: [(pattern: String, module: String)] = []
    /// Module name → modules to load before / after it (modules.softdep).
    public private(set) var softPre: [String: [String]] = [:]
    public private(set) var softPost: [String: [String]] = [:]
    /// Modules compiled into the kernel: nothing to load.
    public private(set) var builtin: Set<String> = []

    public init(dep: String, alias: String = "", softdep: String = "", builtin: String = "") {
        for line in dep.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let path = String(line[..<colon]).trimmingBlanks
            let name = Self.name(ofPath: path)
            paths[name] = path
            dependencies[name] = line[line.index(after: colon)...].split(separator: " ").map { Self.name(ofPath: String($0)) }
        }
        for line in alias.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 3, words[0] == "alias" else { continue }
            aliases.append((String(words[1]), canonicalModuleName(String(words[2]))))
        }
        for line in softdep.split(separator: "\n") {
            // softdep MODULE pre: A B post: C
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2, words[0] == "softdep" else { continue }
            let module = canonicalModuleName(words[1])
            var pre = true
            for w in words.dropFirst(2) {
                if w == "pre:" { pre = true } else if w == "post:" { pre = false } else if pre {
                    softPre[module, default: []].append(canonicalModuleName(w))
                } else {
                    softPost[module, default: []].append(canonicalModuleName(w))
                }
            }
        }
        for line in builtin.split(separator: "\n") {
            self.builtin.insert(Self.name(ofPath: String(line).trimmingBlanks))
        }
    }

    /// "kernel/fs/fat/vfat.ko" → "vfat" (also for .ko.xz/.ko.zst/.ko.gz).
    static func name(ofPath path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        // Everything from the first ".ko" on: ".ko", ".ko.xz", ".ko.zst", ".ko.gz".
        let name = base.split(separator: ".", maxSplits: 1).first.map(String.init) ?? base
        return canonicalModuleName(name)
    }

    /// The modules an alias (a device's modalias, or "fs-vfat") or a module name stands for.
    public func modules(matching aliasOrName: String) -> [String] {
        let name = canonicalModuleName(aliasOrName)
        if paths[name] != nil || builtin.contains(name) { return [name] }
        var found: [String] = []
        for (pattern, module) in aliases where Glob.matches(pattern, aliasOrName) && !found.contains(module) {
            found.append(module)
        }
        return found
    }

    /// The module files to load, in order, so that `wanted` end up loaded: dependencies and soft
    /// pre-dependencies first, soft post-dependencies after. Built-in and `alreadyLoaded` modules
    /// are skipped; unknown names are returned in `missing`.
    public func loadOrder(for wanted: [String], alreadyLoaded: Set<String> = []) -> (paths: [String], missing: [String]) {
        var order: [String] = []
        var missing: [String] = []
        var visited = Set(alreadyLoaded.map(canonicalModuleName))
        var inProgress: Set<String> = []

        func visit(_ raw: String, soft: Bool) {
            let name = canonicalModuleName(raw)
            if visited.contains(name) || inProgress.contains(name) { return }
            if builtin.contains(name) {
                visited.insert(name)
                return
            }
            guard let path = paths[name] else {
                // Seen once is enough: aliases may lead from one name back to another.
                visited.insert(name)
                // A soft dependency that does not exist (e.g. crypto-crc32c) is not an error.
                if !soft {
                    missing.append(name)
                } else {
                    for module in modules(matching: name) where module != name { visit(module, soft: true) }
                }
                return
            }
            inProgress.insert(name)
            for pre in softPre[name] ?? [] { visit(pre, soft: true) }
            // modules.dep lists dependencies so that the last must be loaded first.
            for dep in (dependencies[name] ?? []).reversed() { visit(dep, soft: false) }
            inProgress.remove(name)
            visited.insert(name)
            order.append(path)
            for post in softPost[name] ?? [] { visit(post, soft: true) }
        }
        for name in wanted { visit(name, soft: false) }
        return (order, missing)
    }
}
