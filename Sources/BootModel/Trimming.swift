// Blank trimming for text read from files, sysfs and the screen: one definition for every module.

extension String {
    package static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    /// The text without blanks (spaces, tabs, line ends) at either end.
    public var trimmingBlanks: String {
        var s = Substring(self)
        while let first = s.first, Self.isBlank(first) { s = s.dropFirst() }
        while let last = s.last, Self.isBlank(last) { s = s.dropLast() }
        return String(s)
    }

    /// The text without blanks at its end.
    public var trimmingTrailingBlanks: String {
        var s = Substring(self)
        while let last = s.last, Self.isBlank(last) { s = s.dropLast() }
        return String(s)
    }
}
