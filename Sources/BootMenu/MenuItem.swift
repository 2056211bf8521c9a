// One line of the menu: what the user sees of an entry and whether it can boot.

public struct MenuItem: Sendable, Hashable {
    public var title: String
    /// Where the entry comes from, e.g. "vda1 /boot/grub/grub.cfg".
    public var detail: String
    /// Why the entry cannot boot, shown beside it; nil when it can.
    public var problem: String?

    public init(title: String, detail: String = "", problem: String? = nil) {
        self.title = title
        self.detail = detail
        self.problem = problem
    }
}
