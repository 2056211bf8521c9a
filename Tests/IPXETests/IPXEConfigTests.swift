// iPXE scripts as entries: menus, settings, tests and jumps, chained scripts, images and their
// arguments, the bounds a hostile script meets, and petitboot's iPXE cases from the corpus.

import BootModel
import Foundation
import IPXE
import Testing
import TestSupport

private let base = "http://192.0.2.1/boot/menu.ipxe"

private func load(_ text: String, settings: [String: String] = [:], scripts: [String: String] = [:]) -> BootConfiguration {
    var options = IPXEOptions()
    options.settings = IPXESettings(settings)
    return IPXEConfig.load(text: text, url: base, options: options) { url in
        if let script = scripts[url] { return .script(script) }
        return url.hasSuffix(".ipxe") ? .failed("server answered 404 Not Found") : .image
    }
}

private func url(_ file: BootFile?) -> String? {
    guard let file, case .server(let root) = file.device else { return nil }
    return root + file.path
}

@Suite struct IPXEConfigTests {
    @Test func aMenuBecomesOneEntryPerItem() {
        let config = load("""
            #!ipxe
            dhcp
            :start
            menu Boot menu for ${hostname}
            item --gap -- Operating systems
            item --key d debian Debian 12 (${buildarch})
            item --key r --default rescue Rescue
            item shell iPXE shell
            item back Back to the top
            choose --timeout 5000 target && goto ${target} || goto start

            :debian
            kernel http://192.0.2.1/debian/vmlinuz console=ttyS0 ip=${ip}
            initrd http://192.0.2.1/debian/initrd.img
            boot || goto failed

            :rescue
            kernel /rescue/vmlinuz
            initrd rescue.img
            imgargs vmlinuz rescue quiet
            boot

            :shell
            shell

            :back
            goto start

            :failed
            echo Booting failed
            shell
            """, settings: ["ip": "192.0.2.50", "buildarch": "x86_64", "hostname": "node1"])
        #expect(config.entries.map(\.title) == ["Debian 12 (x86_64)", "Rescue", "iPXE shell"])
        #expect(config.defaultIndex == 1)
        #expect(config.timeout == 5)
        let debian = config.entries[0]
        #expect(url(debian.kernel) == "http://192.0.2.1/debian/vmlinuz")
        #expect(debian.initrds.map(url) == ["http://192.0.2.1/debian/initrd.img"])
        #expect(debian.commandLine == "console=ttyS0 ip=192.0.2.50")
        #expect(debian.hotkey == "d")
        #expect(debian.origin == SourceLocation(file: base, line: 15))
        let rescue = config.entries[1]
        #expect(url(rescue.kernel) == "http://192.0.2.1/rescue/vmlinuz")
        #expect(rescue.initrds.map(url) == ["http://192.0.2.1/boot/rescue.img"])
        #expect(rescue.commandLine == "rescue quiet")
        #expect(config.entries[2].kernel == nil)
        #expect(config.entries[2].unbootableReason == "the script goes to iPXE's 'shell' here")
        #expect(config.diagnostics.isEmpty)
    }

    @Test func settingsExpandInnermostFirstWithTypes() {
        let config = load("""
            #!ipxe
            set which mac
            set base http://192.0.2.1/by-mac/${net0/${which}:hexhyp}
            kernel ${base}/vmlinuz id=${uuid} m=${mac:hexraw} q=${hostname:uristring} none=${nothing}
            boot
            """, settings: ["net0/mac": "52:54:00:12:34:56", "uuid": "0b8c7a4e-1111-2222-3333-444455556666", "hostname": "a b/c"])
        #expect(url(config.entries.first?.kernel) == "http://192.0.2.1/by-mac/52-54-00-12-34-56/vmlinuz")
        #expect(config.entries.first?.commandLine == "id=0b8c7a4e-1111-2222-3333-444455556666 m=525400123456 q=a%20b%2Fc none=")
    }

    @Test func testsJumpsAndJoins() {
        let config = load("""
            #!ipxe
            isset ${missing} && goto wrong
            iseq ${platform} efi || goto wrong ; set arch x86_64
            iseq ${arch} x86_64 && set extra yes
            goto ok
            :wrong
            kernel wrong
            boot
            :ok
            kernel right ${extra}
            boot
            """, settings: ["platform": "efi"])
        #expect(config.entries.map { url($0.kernel) } == ["http://192.0.2.1/boot/right"])
        #expect(config.entries.first?.commandLine == "yes")
        #expect(config.timeout == 0)  // no menu: it boots at once, as iPXE does
    }

    @Test func chainFollowsScriptsAndBootsImages() {
        let config = load("""
            #!ipxe
            chain --autofree node-${mac:hexhyp}.ipxe || chain http://192.0.2.1/default.ipxe
            """, settings: ["mac": "52:54:00:aa:bb:cc"],
            scripts: ["http://192.0.2.1/default.ipxe": "#!ipxe\nchain tftp://192.0.2.1/vmlinuz console=ttyS0\n"])
        #expect(config.entries.count == 1)
        #expect(url(config.entries.first?.kernel) == "tftp://192.0.2.1/vmlinuz")
        #expect(config.entries.first?.commandLine == "console=ttyS0")
        #expect(config.entries.first?.origin == SourceLocation(file: "http://192.0.2.1/default.ipxe", line: 2))
        #expect(config.diagnostics.map(\.message) == ["chain: http://192.0.2.1/boot/node-52-54-00-aa-bb-cc.ipxe: server answered 404 Not Found"])
    }

    @Test func unsupportedCommandsSayWhereAndFail() {
        let config = load("""
            #!ipxe
            imgtrust --permanent
            kernel vmlinuz
            imgverify vmlinuz vmlinuz.sig || goto unsigned
            boot
            :unsigned
            frobnicate now || sanboot iscsi:192.0.2.1::::iqn.x
            """)
        #expect(config.entries.isEmpty)
        let messages = config.diagnostics.map { "\($0.location.line): \($0.message)" }
        #expect(messages.contains("4: imgverify: Baton does not verify image signatures; the check fails"))
        #expect(messages.contains("7: 'frobnicate' is not supported"))
        #expect(messages.contains("7: sanboot (booting from a SAN disk) is not supported"))
        #expect(config.diagnostics.last?.message == "the script leads to no boot")
    }

    @Test func hostileScriptsMeetBounds() {
        // A loop, a self-expanding setting, menus that lead into each other, a missing label.
        let loop = load("#!ipxe\n:a\ngoto a\n")
        #expect(loop.entries.isEmpty && loop.diagnostics.contains { $0.message.contains("ran past") })
        let grows = load("#!ipxe\nset x ${x}${x}${x}${x}\nset x AAAAAAAA\n:l\nset x ${x}${x}\ngoto l\n")
        #expect(grows.entries.isEmpty)
        var items = "#!ipxe\n:m\nmenu\n"
        for i in 0..<400 { items += "item i\(i) Item \(i)\n" }
        items += "choose c && goto m\n"
        let many = load(items)
        #expect(many.entries.isEmpty)
        let missing = load("#!ipxe\ngoto nowhere\n")
        #expect(missing.diagnostics.map(\.message).contains("goto: no label 'nowhere'"))
        let selfRef = load("#!ipxe\nset a ${b}\nset b ${a}\nkernel ${a}x\nboot\n")
        #expect(url(selfRef.entries.first?.kernel) == "http://192.0.2.1/boot/x")
        let notScript = load("kernel vmlinuz\nboot\n")
        #expect(notScript.diagnostics.first?.message == "the script does not start with #!ipxe")
    }

    @Test func optionsComeBeforeTheImageAsInIPXE() {
        let config = load("#!ipxe\nkernel --name linux vmlinuz -- quiet\ninitrd --name=rd initrd.gz\nimgargs linux root=/dev/nfs\nboot linux\n")
        #expect(url(config.entries.first?.kernel) == "http://192.0.2.1/boot/vmlinuz")
        #expect(config.entries.first?.commandLine == "root=/dev/nfs")
        #expect(config.entries.first?.initrds.map(url) == ["http://192.0.2.1/boot/initrd.gz"])
    }
}

/// petitboot's iPXE cases (test/parser/test-pxe-ipxe*.c), read from ../shared/corpus.
@Suite struct IPXEPetitbootCorpusTests {
    static func read(_ name: String) throws -> BootConfiguration {
        guard Corpus.require() else { throw CocoaError(.fileNoSuchFile) }
        return IPXEConfig.load(text: try Corpus.text("petitboot/test/parser/embedded/" + name), url: "tftp://host/dir1/conf") { _ in .image }
    }

    @Test func plainScript() throws {
        let config = try Self.read("test-pxe-ipxe.cfg")
        #expect(config.entries.count == 1)
        #expect(url(config.entries[0].kernel) == "tftp://host/dir1/vmlinux")
        #expect(config.entries[0].initrds.map(url) == ["tftp://host/dir1/initrd"])
        #expect(config.entries[0].commandLine == "append kernel args")
    }

    @Test func bootLine() throws {
        let config = try Self.read("test-pxe-ipxe-default.cfg")
        #expect(config.entries.count == 1)
        #expect(url(config.entries[0].kernel) == "tftp://host/dir1/vmlinux")
        #expect(config.entries[0].initrds.map(url) == ["tftp://host/dir1/initrd"])
        // Divergence: petitboot takes `--name test-option` after the image as the option's name;
        // iPXE's getopt stops at the first word that is not an option, so the kernel gets them.
        #expect(config.entries[0].commandLine == "--name test-option")
    }

    @Test func nameAfterTheImage() throws {
        let config = try Self.read("test-pxe-ipxe-named.cfg")
        #expect(config.entries.count == 1)
        #expect(url(config.entries[0].kernel) == "tftp://host/dir1/vmlinux")
        // The same divergence as above: iPXE passes `--name test-option` to the kernel.
        #expect(config.entries[0].commandLine == "--name test-option append kernel args")
    }
}
