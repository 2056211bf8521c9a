// How syslinux names files: relative to its working directory (the config's folder, or the one
// CONFIG gave), absolute from the filesystem root, "\" as a separator, "::" for the TFTP root.

enum SyslinuxPath {
    /// The absolute path within the view. A relative path that does not exist under the working
    /// directory but does under the root is taken from the root: U-Boot's extlinux reads paths that
    /// way, and pxelinux trees copied to a disk keep paths relative to the TFTP root.
    static func resolve(_ raw: String, workingDirectory: String, in view: any FileView) -> String {
        var name = String(raw.map { $0 == "\\" ? "/" : $0 })
        if name.hasPrefix("::") { name = "/" + name.dropFirst(2) }
        if name.hasPrefix("/") { return Path.normalized(name) }
        let local = Path.normalized(workingDirectory + "/" + name)
        if Path.normalized(workingDirectory) != "/", !view.exists(local) {
            let rooted = Path.normalized(name)
            if view.exists(rooted) { return rooted }
        }
        return local
    }

    /// Whether the name is a URL (lpxelinux fetches those over HTTP or FTP).
    static func isURL(_ raw: String) -> Bool {
        guard let colon = raw.firstIndex(of: ":") else { return false }
        return raw[colon...].hasPrefix("://")
    }

    /// The file name without its folders.
    static func baseName(_ raw: String) -> String {
        let name = String(raw.map { $0 == "\\" ? "/" : $0 })
        return name.split(separator: "/").last.map(String.init) ?? name
    }
}
