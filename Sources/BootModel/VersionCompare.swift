// Comparing version strings the way package managers and boot loaders sort kernels:
// digit runs compare as numbers, letter runs as text, `~` sorts before anything (1.0~rc1 < 1.0).

public enum VersionCompare {
    /// Negative when a < b, zero when equal, positive when a > b.
    public static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        func isAlnum(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || isDigit(c)) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        while i < x.count || j < y.count {
            while i < x.count, !isAlnum(x[i]), x[i] != "~" { i += 1 }
            while j < y.count, !isAlnum(y[j]), y[j] != "~" { j += 1 }
            let xt = i < x.count && x[i] == "~", yt = j < y.count && y[j] == "~"
            if xt || yt {
                if !xt { return 1 }
                if !yt { return -1 }
                i += 1
                j += 1
                continue
            }
            if i >= x.count || j >= y.count { break }
            let numeric = isDigit(x[i])
            if numeric != isDigit(y[j]) { return numeric ? 1 : -1 }
            let si = i, sj = j
            while i < x.count, numeric ? isDigit(x[i]) : (isAlnum(x[i]) && !isDigit(x[i])) { i += 1 }
            while j < y.count, numeric ? isDigit(y[j]) : (isAlnum(y[j]) && !isDigit(y[j])) { j += 1 }
            var p = String(String.UnicodeScalarView(x[si..<i])), q = String(String.UnicodeScalarView(y[sj..<j]))
            if numeric {
                p = String(p.drop { $0 == "0" })
                q = String(q.drop { $0 == "0" })
                if p.count != q.count { return p.count < q.count ? -1 : 1 }
            }
            if p != q { return p < q ? -1 : 1 }
        }
        let xLeft = i < x.count, yLeft = j < y.count
        if xLeft == yLeft { return 0 }
        return xLeft ? 1 : -1
    }
}
