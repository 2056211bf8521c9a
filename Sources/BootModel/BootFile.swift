// A file an entry needs (kernel, initrd, devicetree): a path on a device the config names.

/// Which filesystem a path lives on, as far as the configuration could tell.
public enum DeviceReference: Sendable, Hashable, CustomStringConvertible {
    /// The filesystem the configuration was read from.
    case configDevice
    /// A device Baton knows, by its kernel name (e.g. "vda2").
    case named(String)
    /// A filesystem not present (yet), found later by UUID or label.
    case uuid(String)
    case label(String)
    /// A firmware device name (GRUB's `hd0,gpt2`) that maps to no known device.
    case unknown(String)
    /// A network server, as the root of its URLs: `tftp://192.0.2.1`, `http://192.0.2.1:8080`.
    case server(String)

    public var description: String {
        switch self {
        case .configDevice: "(config device)"
        case .named(let name): name
        case .uuid(let uuid): "UUID=\(uuid)"
        case .label(let label): "LABEL=\(label)"
        case .unknown(let name): "(\(name))"
        case .server(let root): root
        }
    }
}

public struct BootFile: Sendable, Hashable, CustomStringConvertible {
    public var device: DeviceReference
    /// Absolute path within the device.
    public var path: String

    public init(_ path: String, on device: DeviceReference = .configDevice) {
        self.device = device
        self.path = path
    }

    public var description: String {
        device == .configDevice ? path : "\(device)\(path)"
    }
}

extension BootFile {
    /// A URL split as a file on a server: `scheme://authority` and the path from the first `/`
    /// after the authority (`/` when there is none); nil when it is not `scheme://authority…`.
    public static func splitURL(_ url: String) -> (root: String, path: String)? {
        let scheme = url.prefix { $0 != ":" }
        guard !scheme.isEmpty, url.dropFirst(scheme.count).hasPrefix("://") else { return nil }
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty else { return nil }
        let path = rest.dropFirst(authority.count)
        return (String(url.prefix(scheme.count + 3 + authority.count)), path.isEmpty ? "/" : String(path))
    }

    /// A file named by URL (`http://192.0.2.1/vmlinuz`): that path on that server.
    public init?(url: String) {
        guard let (root, path) = Self.splitURL(url) else { return nil }
        self.init(path, on: .server(root))
    }
}
