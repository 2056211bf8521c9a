// A one-line text editor for the command line and the command prompt: cursor keys, Home/End,
// backspace, delete, Ctrl-A/E/K/U, as shells do.

public struct LineEditor: Sendable, Hashable {
    public private(set) var text: [Character]
    public private(set) var cursor: Int

    public init(_ text: String) {
        self.text = Array(text)
        cursor = self.text.count
    }

    public var string: String { String(text) }

    public enum Outcome: Sendable, Hashable { case editing, done, cancelled }

    public mutating func handle(_ key: MenuKey) -> Outcome {
        switch key {
        case .enter: return .done
        case .escape: return .cancelled
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .backspace, .control("h"):
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .control("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .control("k"): text.removeSubrange(cursor...)
        case .control("u"):
            text.removeSubrange(..<cursor)
            cursor = 0
        case .character(let c):
            text.insert(c, at: cursor)
            cursor += 1
        default: break
        }
        return .editing
    }
}
