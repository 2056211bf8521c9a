// GRUB's variables as a shared base and a small layer of changes: every menu entry runs in a
// copy of the configuration's final state, and with the base frozen those copies share it
// instead of each duplicating every variable on its first `set`.

struct GrubVariables {
    private var base: [String: String]
    /// Changes since the last freeze; nil records an `unset`.
    private var changes: [String: String?] = [:]

    init(_ values: [String: String] = [:]) { base = values }

    subscript(name: String) -> String? {
        get {
            if let changed = changes[name] { return changed }
            return base[name]
        }
        set { changes[name] = .some(newValue) }
    }

    /// Every variable that is set.
    var values: [String: String] {
        var all = base
        for (name, value) in changes { all[name] = value }
        return all
    }

    var keys: [String] { Array(values.keys) }

    func filter(_ keep: ((key: String, value: String)) -> Bool) -> GrubVariables {
        GrubVariables(values.filter(keep))
    }

    /// Folds the changes into the base, so copies made afterwards share it.
    mutating func freeze() {
        guard !changes.isEmpty else { return }
        base = values
        changes = [:]
    }
}
