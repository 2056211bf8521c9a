// A screenful of text lines with styles: what a terminal draws, independent of how.

public struct Screen: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case normal, selected, title
    }

    public struct Line: Sendable, Hashable {
        public var row: Int
        public var text: String
        public var style: Style
    }

    public var rows: Int
    public var columns: Int
    public private(set) var lines: [Line] = []

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// Puts text on a row, cut to the screen width; rows outside the screen are dropped.
    public mutating func put(_ text: String, row: Int, style: Style = .normal) {
        guard row >= 0, row < rows, columns > 0 else { return }
        lines.append(Line(row: row, text: String(text.prefix(columns)), style: style))
    }

    /// The screen as plain text, one line a row: for tests and logs.
    public var plainText: String {
        var out = Array(repeating: "", count: rows)
        for line in lines { out[line.row] = line.text }
        return out.joined(separator: "\n")
    }
}
