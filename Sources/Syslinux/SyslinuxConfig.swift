// Syslinux-family configurations (isolinux.cfg, extlinux.conf, syslinux.cfg, pxelinux.cfg files):
// where they are looked for, and reading one into a BootConfiguration the way syslinux would.

import BootModel

public enum SyslinuxConfig {
    /// Folders looked in, in order: isolinux's own search order, then syslinux's and extlinux's
    /// usual install folders (`extlinux --install /boot` puts extlinux.conf in /boot).
    public static let searchDirectories = [
        "/boot/isolinux", "/isolinux", "/boot/syslinux", "/syslinux", "/boot/extlinux", "/extlinux", "/boot", "/",
    ]
    /// File names looked for in each folder, in order.
    public static let fileNames = ["isolinux.cfg", "extlinux.conf", "syslinux.cfg"]

    /// Every path looked at, folder by folder as syslinux does, in order.
    public static let searchPaths: [String] = searchDirectories.flatMap { directory in
        fileNames.map { directory == "/" ? "/" + $0 : directory + "/" + $0 }
    }

    /// Reads the first syslinux-family configuration found in the view, or nil when it holds none.
    public static func load(from view: some FileView) -> BootConfiguration? {
        for path in searchPaths {
            if let configuration = load(from: view, path: path) { return configuration }
        }
        return nil
    }

    /// Reads the configuration at `path`, or nil when there is no such file. Relative file names
    /// resolve against `workingDirectory`, by default the file's folder (as syslinux does); a
    /// pxelinux.cfg file wants the TFTP root instead.
    public static func load(from view: some FileView, path: String, workingDirectory: String? = nil) -> BootConfiguration? {
        var budget = SyslinuxBudget()
        let path = Path.normalized(path)
        let directory = workingDirectory.map(Path.normalized) ?? Path.directory(of: path)
        guard let document = SyslinuxParser.parse(path, workingDirectory: directory, in: view, budget: &budget) else { return nil }
        var resolver = SyslinuxResolver(view: view, budget: budget, configStack: [path])
        let result = resolver.resolve(document)
        let defaultIndex = result.entries.indices.contains(result.defaultIndex) ? result.defaultIndex : 0
        // A file read again through CONFIG reports its problems again; once is enough.
        var seen: Set<Diagnostic> = []
        let diagnostics = (document.diagnostics + resolver.diagnostics).filter { seen.insert($0).inserted }
        return BootConfiguration(
            path: path, entries: result.entries, defaultIndex: defaultIndex, timeout: result.timeout, diagnostics: diagnostics)
    }
}
