// The digit loop of C's strtoul, shared by the readers that mimic it (GRUB's grub_strtoul,
// syslinux's strtoul): digits of a radix up to the first that is not one, clamped to the
// largest value on overflow, never trapping. Each reader picks the radix and where the digits
// start as its own C code does.

package enum CNumber {
    /// The value of the leading digits of `text` in `radix` (2…16), and whether there was one.
    package static func leadingDigits(_ text: Substring, radix: UInt64) -> (value: UInt64, found: Bool) {
        var value: UInt64 = 0
        var found = false
        for c in text {
            guard let digit = c.hexDigitValue.map(UInt64.init), digit < radix else { break }
            found = true
            let (times, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { return (.max, true) }
            value = sum
        }
        return (value, found)
    }
}
