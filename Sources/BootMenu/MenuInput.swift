// What can happen to the menu: a key from any console, a second passing, the result of a boot attempt.

public enum MenuKey: Sendable, Hashable {
    case up, down, home, end, pageUp, pageDown, enter
    /// Any other key: it stops the countdown and does nothing else.
    case other
}

public enum MenuInput: Sendable, Hashable {
    case key(MenuKey)
    /// One second of the countdown has passed.
    case tick
    /// Booting the entry at index failed with this message; the menu stays.
    case bootFailed(index: Int, message: String)
}

public enum MenuAction: Sendable, Hashable {
    /// The state changed: draw it.
    case redraw
    /// Boot the entry at this index.
    case boot(index: Int)
}
