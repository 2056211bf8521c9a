// One parsed syslinux configuration (a file and everything it INCLUDEs): the menu tree of
// labels in order, and the global directives, before they become boot entries.

import BootModel

struct SyslinuxDocument: Sendable {
    /// A directive's text and where it was written.
    struct Directive: Sendable {
        var text: String
        var location: SourceLocation
    }

    /// A menu: the root (index 0) or a MENU BEGIN / tagged INCLUDE submenu.
    struct Menu: Sendable {
        enum NameSource: Sendable { case tag, menuLabel, menuTitle }

        var parent: Int?
        /// The submenu's entry in its parent, as the menu shows it (carets not yet stripped).
        var name: String
        var nameSource: NameSource
        var title = ""
        /// Item (index into `items`) MENU DEFAULT chose in this menu.
        var defaultItem: Int?
        /// TIMEOUT and ONTIMEOUT read while this menu was open (tenths of a second); submenus start
        /// with the parent's.
        var timeout: Int?
        var onTimeout: Directive?
        /// The item (index into `items`) that is this submenu's entry in its parent.
        var item: Int?
        /// MENU PASSWD guards the submenu.
        var hasPassword = false
        /// How many submenus hold this one.
        var depth = 0
    }

    enum Item: Sendable {
        case label(SyslinuxLabel, menu: Int)
        /// A submenu's entry, at the place MENU BEGIN opened it.
        case submenu(Int, menu: Int)

        var menu: Int {
            switch self {
            case .label(_, let menu), .submenu(_, let menu): menu
            }
        }
    }

    var path: String
    var workingDirectory: String
    var items: [Item] = []
    var menus: [Menu] = [Menu(parent: nil, name: "", nameSource: .tag)]
    /// The last DEFAULT, UI and ONTIMEOUT directives.
    var defaultCommand: Directive?
    var ui: Directive?
    var onTimeout: Directive?
    var prompt = 0
    var implicit = 1
    /// The last TIMEOUT anywhere (the command line's) and TOTALTIMEOUT, in tenths of a second.
    var timeout: Int?
    var totalTimeout: Int?
    /// PATH: where COM32 modules are looked for, after the working directory.
    var modulePath: [String] = []
    /// The global APPEND at the end of the file, for kernels DEFAULT names without a LABEL.
    var globalAppend: String?
    var diagnostics: [Diagnostic] = []

    init(path: String, workingDirectory: String) {
        self.path = path
        self.workingDirectory = workingDirectory
    }

    /// The names of the submenus holding `menu`, outermost first (the root has none).
    func menuPath(of menu: Int) -> [Int] {
        var path: [Int] = []
        var current: Int? = menu
        var guardCount = 0
        while let m = current, m != 0, m < menus.count, guardCount < menus.count {
            path.append(m)
            current = menus[m].parent
            guardCount += 1
        }
        return path.reversed()
    }
}
