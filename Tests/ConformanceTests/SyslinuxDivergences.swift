// Where Baton deliberately differs from a peer's expected syslinux output, and why. A peer's
// expectation that fails counts as met only through an entry of this list, and only when Baton's
// value is the one the entry describes. Docs/config-support.md explains the same list.

import BootModel
import Syslinux

struct SyslinuxDivergence {
    let id: String
    let peer: String
    let reason: String
}

enum SyslinuxDivergences {
    static let all: [SyslinuxDivergence] = [
        SyslinuxDivergence(
            id: "caret", peer: "u-root",
            reason: "u-root keeps the ^ hotkey marker in names; syslinux's menu shows the next letter as the hotkey and never the caret"),
        SyslinuxDivergence(
            id: "submenu-path", peer: "u-root",
            reason: "u-root flattens MENU BEGIN submenus; Baton keeps the submenu as a title path (\"Troubleshooting > …\"), as for GRUB"),
        SyslinuxDivergence(
            id: "default-first", peer: "u-root",
            reason: "u-root moves the default entry to the front; Baton keeps syslinux's menu order and marks the default"),
        SyslinuxDivergence(
            id: "localboot-shown", peer: "u-root",
            reason: "u-root drops LOCALBOOT labels; Baton lists them as entries kexec cannot boot, with the reason"),
        SyslinuxDivergence(
            id: "multiboot-unbootable", peer: "u-root",
            reason: "u-root boots mboot.c32 labels as multiboot images with modules; kexec boots Linux only, so Baton lists them unbootable, naming the hypervisor and modules"),
        SyslinuxDivergence(
            id: "menu-label-after-menu-begin", peer: "u-root",
            reason: "u-root applies a submenu's MENU LABEL (after MENU BEGIN) to the previous LABEL; syslinux records that LABEL at MENU BEGIN, so the label names the submenu"),
        SyslinuxDivergence(
            id: "append-replaces", peer: "petitboot",
            reason: "petitboot joins the global and the label's APPEND; syslinux uses the label's APPEND instead of the global one"),
        SyslinuxDivergence(
            id: "initrd-directive-in-cmdline", peer: "petitboot",
            reason: "syslinux adds INITRD to the command line as initrd=<files> (and passes it to the kernel); petitboot leaves it out"),
        SyslinuxDivergence(
            id: "non-linux-shown", peer: "petitboot",
            reason: "petitboot drops COM32, FDIMAGE, BSS and COMBOOT labels; Baton lists them as entries kexec cannot boot, with the reason"),
    ]

    static func isListed(_ id: String) -> Bool { all.contains { $0.id == id } }
}

/// A conformance tally that also counts what each divergence explained.
struct SyslinuxTally {
    var tally: ConformanceTally
    /// Expectations met only through a listed divergence, by divergence.
    private(set) var metThrough: [String: Int] = [:]

    init() { tally = ConformanceTally() }

    /// Met when `ok`; else met through the listed divergences when `divergent` (Baton's value is
    /// the one those divergences describe); else a miss.
    mutating func expect(_ ok: Bool, divergences: [String] = [], divergent: Bool = false, _ what: @autoclosure () -> String) {
        if ok { return tally.expect(true, what()) }
        let listed = !divergences.isEmpty && divergences.allSatisfy(SyslinuxDivergences.isListed)
        if divergent, listed {
            tally.divergencesUsed.formUnion(divergences)
            for id in divergences { metThrough[id, default: 0] += 1 }
            return tally.expect(true, what())
        }
        tally.expect(false, what() + (divergences.isEmpty ? "" : " (divergence \(divergences.joined(separator: "+")) does not explain it)"))
    }
}
