// The entries a syslinux configuration yields, built in menu order: which item produced which
// entry, submenu title paths, and each menu's default, for SyslinuxResolver.

import BootModel

extension SyslinuxResolver {
    struct Builder {
        /// What makes two entries the same boot: CONFIG'd files repeating an entry add nothing.
        private struct Key: Hashable {
            var kernel: BootFile?
            var initrds: [BootFile]
            var devicetree: BootFile?
            var commandLine: String
            var unbootableReason: String?

            init(_ entry: BootEntry) {
                kernel = entry.kernel
                initrds = entry.initrds
                devicetree = entry.devicetree
                commandLine = entry.commandLine
                unbootableReason = entry.unbootableReason
            }
        }

        /// Entries listed at most, whatever the input: a menu has tens.
        static let maxEntries = 10_000

        let document: SyslinuxDocument
        let menuMode: Bool
        private(set) var entries: [BootEntry] = []
        private(set) var overflowed = false
        private var firstEntryByItem: [Int: Int] = [:]
        private var staged: [(entry: BootEntry, item: Int, expanded: Bool)] = []
        private var paths: [[String]]
        private var protected: [Bool]
        private var itemsByMenu: [[Int]]

        init(document: SyslinuxDocument, menuMode: Bool) {
            self.document = document
            self.menuMode = menuMode
            let count = document.menus.count
            paths = Array(repeating: [], count: count)
            protected = document.menus.map(\.hasPassword)
            itemsByMenu = Array(repeating: [], count: count)
            // A submenu is always created after its parent, so parents come first.
            for id in document.menus.indices {
                guard let parent = document.menus[id].parent, parent < id else { continue }
                paths[id] = paths[parent] + [Self.name(of: document.menus[id])]
                protected[id] = protected[id] || protected[parent]
            }
            for (index, item) in document.items.enumerated() where item.menu < count {
                itemsByMenu[item.menu].append(index)
            }
        }

        /// A submenu as its parent lists it: MENU LABEL, else MENU TITLE, else the MENU BEGIN tag.
        private static func name(of menu: SyslinuxDocument.Menu) -> String {
            for candidate in [menu.name, menu.title] {
                let shown = SyslinuxText.trimmed(SyslinuxText.strippingCarets(candidate))
                if !shown.isEmpty { return String(shown.prefix(SyslinuxResolver.maxTitleLength)) }
            }
            return "Submenu"
        }

        func titlePath(_ menu: Int) -> [String] {
            paths.indices.contains(menu) ? paths[menu] : []
        }

        func titlePath(item: Int) -> [String] {
            document.items.indices.contains(item) ? titlePath(document.items[item].menu) : []
        }

        func isProtected(_ menu: Int) -> Bool {
            protected.indices.contains(menu) && protected[menu]
        }

        func firstEntry(ofItem item: Int) -> Int? { firstEntryByItem[item] }

        /// Stages what an item yielded; `finish` keeps it (see there).
        mutating func add(_ produced: [BootEntry], item: Int, expanded: Bool) {
            staged += produced.map { ($0, item, expanded) }
        }

        /// Lists the staged entries in order. An entry a CONFIG'd file yields is dropped when the
        /// configuration lists the same boot itself (anywhere) or another CONFIG'd file did earlier.
        mutating func finish() {
            let direct = Set(staged.filter { !$0.expanded }.map { Key($0.entry) })
            var seenExpanded: Set<Key> = []
            for (entry, item, expanded) in staged {
                let key = Key(entry)
                if expanded {
                    guard !direct.contains(key), seenExpanded.insert(key).inserted else { continue }
                }
                guard entries.count < Self.maxEntries else {
                    overflowed = true
                    break
                }
                if firstEntryByItem[item] == nil { firstEntryByItem[item] = entries.count }
                entries.append(entry)
            }
            staged = []
        }

        /// Adds entries no menu item shows (DEFAULT or ONTIMEOUT naming a kernel, or a label with
        /// options); returns the first one's index. These two may pass `maxEntries`.
        mutating func append(_ produced: [BootEntry]) -> Int? {
            guard !produced.isEmpty else { return nil }
            let first = entries.count
            entries += produced.prefix(Self.maxEntries)
            return first
        }

        /// The entry a menu starts on: its MENU DEFAULT, else its first item that is an entry;
        /// a submenu there means that submenu's default.
        func defaultEntry(ofMenu menu: Int, depth: Int = 0) -> Int? {
            guard document.menus.indices.contains(menu), depth <= SyslinuxParser.maxMenuDepth + 1 else { return nil }
            if let item = document.menus[menu].defaultItem, let entry = entry(startingAt: item, depth: depth) { return entry }
            for item in itemsByMenu[menu] {
                if let entry = entry(startingAt: item, depth: depth) { return entry }
            }
            return nil
        }

        private func entry(startingAt item: Int, depth: Int) -> Int? {
            guard document.items.indices.contains(item) else { return nil }
            switch document.items[item] {
            case .label: return firstEntryByItem[item]
            case .submenu(let submenu, _): return defaultEntry(ofMenu: submenu, depth: depth + 1)
            }
        }
    }
}
