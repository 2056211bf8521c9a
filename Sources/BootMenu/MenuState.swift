// The menu as a state machine: selection, countdown and status, changed only by `handle`.

public struct MenuState: Sendable, Hashable {
    public private(set) var items: [MenuItem]
    public private(set) var selection: Int
    public let defaultIndex: Int
    /// Seconds left before the default boots; nil once stopped (or with no timeout).
    public private(set) var countdown: Int?
    /// A message for the user, e.g. why the last boot failed.
    public private(set) var status: String?
    /// True while a boot is being attempted; keys wait until it fails.
    public private(set) var booting = false

    public init(items: [MenuItem], defaultIndex: Int, timeout: Int?) {
        self.items = items
        let valid = items.indices.contains(defaultIndex) ? defaultIndex : 0
        self.defaultIndex = valid
        self.selection = valid
        self.countdown = items.isEmpty ? nil : timeout.map { max(0, $0) }
    }

    /// The actions to take right away, before any input: a timeout of 0 boots at once.
    public mutating func start() -> [MenuAction] {
        if countdown == 0 { return boot(defaultIndex) }
        return [.redraw]
    }

    public mutating func handle(_ input: MenuInput) -> [MenuAction] {
        switch input {
        case .tick:
            guard let left = countdown, !booting else { return [] }
            if left <= 1 {
                countdown = nil
                return boot(defaultIndex)
            }
            countdown = left - 1
            return [.redraw]
        case .key(let key):
            guard !booting else { return [] }
            countdown = nil
            return handle(key)
        case .bootFailed(let index, let message):
            booting = false
            countdown = nil
            let title = items.indices.contains(index) ? items[index].title : "entry \(index)"
            status = "Cannot boot \"\(title)\": \(message)"
            return [.redraw]
        }
    }

    private mutating func handle(_ key: MenuKey) -> [MenuAction] {
        guard !items.isEmpty else { return [.redraw] }
        let last = items.count - 1
        switch key {
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(last, selection + 1)
        case .home, .pageUp: selection = 0
        case .end, .pageDown: selection = last
        case .enter: return boot(selection)
        case .other: break
        }
        return [.redraw]
    }

    private mutating func boot(_ index: Int) -> [MenuAction] {
        guard items.indices.contains(index) else { return [.redraw] }
        selection = index
        if let problem = items[index].problem {
            status = "Cannot boot \"\(items[index].title)\": \(problem)"
            return [.redraw]
        }
        booting = true
        status = "Booting \"\(items[index].title)\"..."
        return [.redraw, .boot(index: index)]
    }
}
