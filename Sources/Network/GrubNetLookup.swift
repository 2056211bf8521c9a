// Where GRUB booted over the network looks for its configuration: under its prefix (the folder
// its image was built for, on the TFTP server), `grub.cfg-01-` and the client's MAC address, then
// its IPv4 address in upper-case hex shortened one digit at a time, then `grub.cfg` — GRUB 2.06's
// order when its prefix is a `(tftp)` device.

public enum GrubNetLookup {
    /// The prefixes to try for a boot file GRUB was started as: `boot/grub` as `grub-mknetdir`
    /// lays it out (`boot/grub/x86_64-efi/core.efi`), a `grub` folder beside the image (Debian's
    /// and Ubuntu's netboot trees), the image's own folder, then `/grub` and `/boot/grub`.
    public static func prefixes(bootFile: String?) -> [String] {
        var found: [String] = []
        func add(_ path: String) {
            let clean = "/" + path.split(separator: "/").joined(separator: "/")
            if !found.contains(clean) { found.append(clean) }
        }
        if let bootFile {
            let folders = bootFile.split(separator: "/").dropLast().map(String.init)
            if let platform = folders.last, platform.hasSuffix("-efi") || platform.hasSuffix("-pc") || platform.hasSuffix("-ieee1275") {
                add(folders.dropLast().joined(separator: "/"))
            }
            add((folders + ["grub"]).joined(separator: "/"))
            add(folders.joined(separator: "/"))
        }
        add("grub")
        add("boot/grub")
        return found
    }

    /// The configuration files to try under `prefix`, in order.
    public static func candidates(prefix: String, mac: MACAddress, address: IPv4Address) -> [String] {
        var names = ["grub.cfg-01-" + mac.text(separator: "-")]
        let hex = address.hex
        for length in stride(from: hex.count, through: 1, by: -1) { names.append("grub.cfg-" + hex.prefix(length)) }
        names.append("grub.cfg")
        let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
        return names.map { folder + $0 }
    }
}

/// What a boot file is, as far as Baton can use it.
public enum BootFileKind: Sendable, Equatable {
    case ipxeScript
    /// A Linux kernel (x86 bzImage, or an arm64/RISC-V Image): booted as it is.
    case kernel
    /// A boot program Baton does not run (pxelinux.0, GRUB, iPXE…): its configuration is read instead.
    case pxelinux
    case grub
    case unknown

    /// What a boot file's name says.
    public init(name: String) {
        let file = String(name.split(separator: "/").last ?? "").lowercased()
        // Plain character work: String.contains(String) would link _StringProcessing (+1.4 MB).
        func has(_ word: String) -> Bool { file.indices.contains { file[$0...].hasPrefix(word) } }
        if file.hasSuffix(".ipxe") {
            self = .ipxeScript
        } else if has("pxelinux") || has("syslinux") {
            self = .pxelinux
        } else if has("grub") || file.hasPrefix("core.") || file.hasPrefix("shim") || file.hasPrefix("bootnet") {
            self = .grub
        } else {
            self = .unknown
        }
    }

    /// Whether a file's first bytes (0x240 of them) are a Linux kernel's.
    public static func isKernel(firstBytes bytes: [UInt8]) -> Bool {
        if bytes.count >= 0x206, bytes[0x202..<0x206].elementsEqual("HdrS".utf8) {
            return true  // x86 boot protocol header
        } else if bytes.count >= 0x40, bytes[0x38..<0x3C].elementsEqual([0x41, 0x52, 0x4D, 0x64]) || bytes[0x38..<0x3C].elementsEqual([0x52, 0x53, 0x43, 0x05]) {
            return true  // arm64 "ARM\x64", RISC-V "RSC\x05"
        }
        return false
    }
}
