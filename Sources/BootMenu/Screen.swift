// A screenful of text lines with styles and an optional cursor: what a terminal draws.

import BootModel

public struct Screen: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case normal, selected, title, dim
    }

    public struct Line: Sendable, Hashable {
        public var row: Int
        public var text: String
        public var style: Style
    }

    public struct Position: Sendable, Hashable {
        public var row: Int
        public var column: Int
    }

    public var rows: Int
    public var columns: Int
    public private(set) var lines: [Line] = []
    /// Where the text cursor shows (while editing); nil hides it.
    public var cursor: Position?

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// Puts text on a row; text wider than the screen ends in "...". Rows outside are dropped.
    public mutating func put(_ text: String, row: Int, style: Style = .normal) {
        guard row >= 0, row < rows, columns > 0 else { return }
        lines.append(Line(row: row, text: Self.fit(text, columns), style: style))
    }

    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        return width > 3 ? String(text.prefix(width - 3)) + "..." : String(text.prefix(width))
    }

    /// The screen as plain text, one line a row: for tests, logs and the README.
    public var plainText: String {
        var out = Array(repeating: "", count: rows)
        for line in lines { out[line.row] = line.text }
        return out.map { $0.trimmingTrailingBlanks }.joined(separator: "\n")
    }
}
