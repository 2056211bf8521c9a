// Shell-style pattern matching (`*`, `?`, `[a-z]`, `[!x]`): modules.alias patterns, loader.conf `default`.

public enum Glob {
    /// Whether `text` matches the whole of `pattern`. Iterative, so long aliases never recurse deeply.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "*") {
                starP = pi
                starT = ti
                pi += 1
                continue
            }
            if pi < p.count, let next = matchOne(p, pi, t[ti]) {
                pi = next
                ti += 1
                continue
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starT += 1
            ti = starT
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at p[i] against c; returns the index after the element, or nil.
    private static func matchOne(_ p: [UInt8], _ i: Int, _ c: UInt8) -> Int? {
        switch p[i] {
        case UInt8(ascii: "?"):
            return i + 1
        case UInt8(ascii: "["):
            var j = i + 1
            var negate = false
            if j < p.count, p[j] == UInt8(ascii: "!") || p[j] == UInt8(ascii: "^") {
                negate = true
                j += 1
            }
            var matched = false
            var first = true
            while j < p.count, first || p[j] != UInt8(ascii: "]") {
                first = false
                if j + 2 < p.count, p[j + 1] == UInt8(ascii: "-"), p[j + 2] != UInt8(ascii: "]") {
                    if p[j] <= c && c <= p[j + 2] { matched = true }
                    j += 3
                } else {
                    if p[j] == c { matched = true }
                    j += 1
                }
            }
            guard j < p.count else { return p[i] == c ? i + 1 : nil }  // no closing ']': literal '['
            return matched != negate ? j + 1 : nil
        default:
            return p[i] == c ? i + 1 : nil
        }
    }
}
