// How syslinux names files: relative to its working directory (the config's folder, or the one
// CONFIG gave), absolute from the filesystem root, "\" as a separator, "::" for the TFTP root,
// and without regard to case (FAT and ISO 9660 ignore it; a Rock Ridge mount on Linux does not).

import BootModel

enum SyslinuxPath {
    /// The absolute path within the view. A relative path that does not exist under the working
    /// directory but does under the root is taken from the root: U-Boot's extlinux reads paths that
    /// way, and pxelinux trees copied to a disk keep paths relative to the TFTP root.
    static func resolve(_ raw: String, workingDirectory: String, in view: any FileView) -> String {
        var name = String(raw.map { $0 == "\\" ? "/" : $0 })
        if name.hasPrefix("::") { name = "/" + name.dropFirst(2) }
        let absolute = name.hasPrefix("/")
        let local = Path.normalized(absolute ? name : workingDirectory + "/" + name)
        if view.exists(local) { return local }
        if let found = matchingCase(local, in: view) { return found }
        if !absolute, Path.normalized(workingDirectory) != "/" {
            let rooted = Path.normalized(name)
            if view.exists(rooted) { return rooted }
            if let found = matchingCase(rooted, in: view) { return found }
        }
        return local
    }

    /// The path as the view spells it when it differs only in case, folder by folder; nil when
    /// some part matches nothing.
    static func matchingCase(_ path: String, in view: any FileView) -> String? {
        var found = ""
        for part in path.split(separator: "/") {
            let exact = found + "/" + part
            if view.exists(exact) {
                found = exact
                continue
            }
            let wanted = SyslinuxText.lowercasedASCII(String(part))
            guard let name = view.list(found.isEmpty ? "/" : found).first(where: { SyslinuxText.lowercasedASCII($0) == wanted }) else {
                return nil
            }
            found += "/" + name
        }
        return found.isEmpty ? nil : found
    }

    /// Whether the name is a URL (lpxelinux fetches those over HTTP or FTP).
    static func isURL(_ raw: String) -> Bool {
        guard let colon = raw.firstIndex(of: ":") else { return false }
        return raw[colon...].hasPrefix("://")
    }

    /// Whether the URL is one Baton fetches (http, https, tftp); lpxelinux also knows ftp.
    static func isFetchableURL(_ raw: String) -> Bool {
        let scheme = SyslinuxText.lowercasedASCII(String(raw.prefix { $0 != ":" }))
        return isURL(raw) && (scheme == "http" || scheme == "https" || scheme == "tftp")
    }

    /// The file name without its folders.
    static func baseName(_ raw: String) -> String {
        let name = String(raw.map { $0 == "\\" ? "/" : $0 })
        return name.split(separator: "/").last.map(String.init) ?? name
    }
}
