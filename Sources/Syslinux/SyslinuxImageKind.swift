// What a label loads: syslinux's kernel types, named by the keyword or guessed from the file name.

import BootModel

enum SyslinuxImageKind: String, Sendable, CaseIterable {
    /// KERNEL: the type comes from the file name's extension.
    case kernel
    case linux
    case boot
    case bss
    case pxe
    case fdimage
    case comboot
    case com32
    case config
    case localboot

    /// The kind a keyword names, for the keywords that set a label's image.
    init?(keyword: String) {
        self.init(rawValue: keyword)
    }

    /// Syslinux 6's `parse_image_type`, plus syslinux 4's COMBOOT extensions (`.com`, `.cbt`), which
    /// newer versions no longer run at all. Anything else is a Linux kernel.
    static func guessed(fromFileName file: String) -> SyslinuxImageKind {
        let name = SyslinuxText.lowercasedASCII(file)
        if name.hasSuffix(".c32") { return .com32 }
        if name.hasSuffix(".bss") { return .bss }
        if name.hasSuffix(".bin") || name.hasSuffix(".bs") { return .boot }
        if name.hasSuffix(".0") { return .pxe }
        if name.hasSuffix(".com") || name.hasSuffix(".cbt") { return .comboot }
        // Syslinux 6 also maps ".img" to a floppy image but then loads it as a Linux kernel, which
        // is what boards that name their kernel "kernel.img" rely on.
        return .linux
    }

    /// Extensions syslinux tries, in order, when a KERNEL file does not exist as written.
    static let probedExtensions = [".c32", ".img", ".bss", ".bin", ".bs", ".0"]
}
