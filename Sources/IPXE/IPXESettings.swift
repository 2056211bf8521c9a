// iPXE's settings as a script sees them: `${name}`, `${net0/name}` and `${name:type}`, expanded
// innermost first as iPXE does, within bounds (a value that expands to itself stops, it does not
// loop). Unknown settings expand to nothing, as in iPXE.

/// The settings a script reads and `set`/`clear` change.
public struct IPXESettings: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The settings iPXE gives a script after DHCP on `net0`, from what Baton knows.
    public static func network(
        mac: String, ip: String, netmask: String, gateway: String?, dns: String?, domain: String?, hostname: String?,
        uuid: String?, nextServer: String?, filename: String?, platform: String
    ) -> IPXESettings {
        var values: [String: String] = ["mac": mac, "ip": ip, "netmask": netmask, "platform": platform, "buildarch": "x86_64"]
        let optional: [String: String?] = [
            "gateway": gateway, "dns": dns, "domain": domain, "hostname": hostname, "next-server": nextServer, "filename": filename,
        ]
        for (name, value) in optional { if let value { values[name] = value } }
        for (name, value) in values where name != "platform" && name != "buildarch" { values["net0/" + name] = value }
        if let uuid { values["uuid"] = uuid }
        return IPXESettings(values)
    }

    /// A setting's value: `net0/mac` or `mac` (an unscoped name finds net0's).
    func value(of name: String) -> String? {
        values[name] ?? (name.hasPrefix("net0/") ? nil : values["net0/" + name])
    }

    static let expansionLimit = 64 << 10
    static let expansionSteps = 256

    /// A word with every `${…}` expanded, innermost first; nil when it grows past the limits.
    func expand(_ word: String) -> String? {
        var text = Array(word.utf8)
        for _ in 0..<Self.expansionSteps {
            guard let close = text.firstIndex(of: UInt8(ascii: "}")) else { return String(decoding: text, as: UTF8.self) }
            // The last `${` before the first `}`: the innermost.
            var open: Int?
            var index = close - 1
            while index > 0 {
                if text[index - 1] == UInt8(ascii: "$"), text[index] == UInt8(ascii: "{") {
                    open = index - 1
                    break
                }
                index -= 1
            }
            guard let open else { return String(decoding: text, as: UTF8.self) }
            let inside = String(decoding: text[(open + 2)..<close], as: UTF8.self)
            let replacement = Array(formatted(inside).utf8)
            text.replaceSubrange(open...close, with: replacement)
            guard text.count <= Self.expansionLimit else { return nil }
        }
        return nil
    }

    /// `name` or `name:type`: the value, in the type's form for those Baton knows.
    func formatted(_ reference: String) -> String {
        let name = String(reference.prefix { $0 != ":" })
        let type = reference.dropFirst(name.count + 1)
        guard let value = value(of: name) else { return "" }
        switch type {
        case "hexhyp": return String(value.map { $0 == ":" ? "-" : $0 })
        case "hexraw": return value.filter { $0 != ":" }
        case "uristring": return Self.uriEncoded(value)
        default: return value
        }
    }

    /// Percent-encoding of all but RFC 3986's unreserved characters.
    static func uriEncoded(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if unreserved {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 15)])
            }
        }
        return out
    }
}
