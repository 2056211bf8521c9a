// Overflow-checked arithmetic for offsets computed from untrusted on-disk numbers.

/// Arithmetic that answers nil instead of trapping: every offset in this module comes from disk.
enum Checked {
    static func add(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// `a * b + c`, the usual "block × size + offset".
    static func offset(_ a: UInt64, times b: UInt64, plus c: UInt64 = 0) -> UInt64? {
        multiply(a, b).flatMap { add($0, c) }
    }
}
