// The URLs network boot fetches: `tftp://SERVER[:PORT]/PATH`, `http://…` and `https://…`, with
// the server an IPv4 address, an IPv6 address in brackets, or a name. Parsing is strict: a URL that is not one of these says why.

public struct NetworkURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case tftp, http, https }

    public var scheme: Scheme
    public var host: String
    public var port: UInt16
    /// The path, starting with `/` (for TFTP, the file name is the path without its first `/`).
    public var path: String

    public init(scheme: Scheme, host: String, port: UInt16? = nil, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? Self.defaultPort(scheme)
        self.path = path.hasPrefix("/") ? path : "/" + path
    }

    static func defaultPort(_ scheme: Scheme) -> UInt16 {
        switch scheme {
        case .tftp: 69
        case .http: 80
        case .https: 443
        }
    }

    public init(_ text: String) throws(NetworkURLError) {
        // Plain character work: the standard library's string searches would link _StringProcessing (+1.5 MB).
        let name = text.prefix { $0 != ":" }
        guard text.dropFirst(name.count).hasPrefix("://") else { throw NetworkURLError(text, "no scheme (tftp://, http:// or https://)") }
        guard let scheme = Scheme(rawValue: name.lowercased()) else {
            throw NetworkURLError(text, "scheme '\(name)' is not tftp, http or https")
        }
        let rest = text.dropFirst(name.count + 3)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard !authority.isEmpty else { throw NetworkURLError(text, "no server") }
        guard !authority.contains(where: { $0 == "@" }) else { throw NetworkURLError(text, "user names in URLs are not supported") }
        var host = String(authority)
        var port: UInt16?
        if authority.first == "[" {
            // An IPv6 literal (RFC 3986 3.2.2): `[2001:db8::1]` or `[2001:db8::1]:8080`.
            let inside = authority.dropFirst().prefix { $0 != "]" }
            let after = authority.dropFirst(inside.count + 2)
            guard authority.dropFirst(inside.count + 1).first == "]", IPv6Address(inside) != nil else {
                throw NetworkURLError(text, "server '\(authority)' is not an IPv6 address in brackets")
            }
            if !after.isEmpty {
                guard after.first == ":", let number = UInt16(after.dropFirst()), number > 0 else {
                    throw NetworkURLError(text, "port '\(after.dropFirst())' is not a number from 1 to 65535")
                }
                port = number
            }
            self.init(scheme: scheme, host: String(inside), port: port, path: path.isEmpty ? "/" : String(path))
            return
        }
        if let portColon = authority.lastIndex(of: ":") {
            guard let number = UInt16(authority[authority.index(after: portColon)...]), number > 0 else {
                throw NetworkURLError(text, "port '\(authority[authority.index(after: portColon)...])' is not a number from 1 to 65535")
            }
            port = number
            host = String(authority[..<portColon])
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
            throw NetworkURLError(text, "server '\(host)' is not a name or an IPv4 address")
        }
        self.init(scheme: scheme, host: host, port: port, path: path.isEmpty ? "/" : String(path))
    }

    /// The server as an IPv4 address, when it is one.
    public var address: IPv4Address? { IPv4Address(host) }

    /// The server as an IPv6 address, when it is one.
    public var addressV6: IPv6Address? { host.contains(where: { $0 == ":" }) ? IPv6Address(host) : nil }

    /// `host[:port]` as a URL and a Host header write it (an IPv6 address in brackets).
    public var authority: String {
        let name = addressV6 == nil ? host : "[\(host)]"
        return port == Self.defaultPort(scheme) ? name : "\(name):\(port)"
    }

    public var description: String { "\(scheme.rawValue)://\(authority)\(path)" }
}

public struct NetworkURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String
    public init(_ url: String, _ reason: String) {
        self.url = url
        self.reason = reason
    }
    public var description: String { "\(url): \(reason)" }
}
