// Where boot configurations live on a filesystem, in the order Baton looks for them.

public enum ConfigLocator {
    public static let grubPaths = ["/boot/grub/grub.cfg", "/grub/grub.cfg", "/boot/grub2/grub.cfg", "/grub2/grub.cfg"]

    /// Reads the first GRUB configuration found in the view, or nil when it holds none.
    public static func loadConfiguration(from view: some FileView) -> BootConfiguration? {
        for path in grubPaths {
            guard let text = view.text(of: path) else { continue }
            return GrubSubsetParser.parse(text, path: path)
        }
        return nil
    }
}
