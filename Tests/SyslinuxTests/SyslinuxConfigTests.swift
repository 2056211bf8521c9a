// Syslinux-family configs, directive by directive, against small inline configs.

import BootModel
@testable import Syslinux
import Testing

@Suite struct SyslinuxConfigTests {
    func load(_ files: [String: String], path: String? = nil) -> BootConfiguration? {
        let view = MemoryFileView(files)
        if let path { return SyslinuxConfig.load(from: view, path: path) }
        return SyslinuxConfig.load(from: view)
    }

    func messages(_ config: BootConfiguration?) -> [String] { config?.diagnostics.map(\.message) ?? [] }

    // MARK: Where

    @Test func lpxelinuxURLsNameFilesOnServers() throws {
        let config = try #require(load(["/pxelinux.cfg/default": """
            label web
             kernel http://192.0.2.1:8080/boot/vmlinuz
             append initrd=https://192.0.2.1/initrd.img,tftp://192.0.2.9/extra.img quiet
            label ftp
             kernel ftp://192.0.2.1/vmlinuz
            """], path: "/pxelinux.cfg/default"))
        let web = try #require(config.entries.first)
        #expect(web.kernel == BootFile("/boot/vmlinuz", on: .server("http://192.0.2.1:8080")))
        #expect(web.initrds == [BootFile("/initrd.img", on: .server("https://192.0.2.1")), BootFile("/extra.img", on: .server("tftp://192.0.2.9"))])
        #expect(web.unbootableReason == nil)
        #expect(config.entries.last?.unbootableReason == "names ftp:// files; Baton fetches http://, https:// and tftp:// only")
    }

    @Test func searchesIsolinuxBeforeSyslinuxAndExtlinux() throws {
        let config = try #require(load([
            "/syslinux/syslinux.cfg": "label s\n kernel /s",
            "/isolinux/isolinux.cfg": "label i\n kernel /i",
            "/extlinux/extlinux.conf": "label e\n kernel /e",
        ]))
        #expect(config.path == "/isolinux/isolinux.cfg")
        #expect(config.entries.map(\.title) == ["i"])
    }

    @Test func searchOrderIsFolderByFolder() {
        #expect(SyslinuxConfig.searchPaths.prefix(4) == [
            "/boot/isolinux/isolinux.cfg", "/boot/isolinux/extlinux.conf", "/boot/isolinux/syslinux.cfg", "/isolinux/isolinux.cfg",
        ])
        #expect(SyslinuxConfig.searchPaths.last == "/syslinux.cfg")
        #expect(SyslinuxConfig.searchPaths.contains("/boot/extlinux/extlinux.conf"))
    }

    @Test func findsExtlinuxInBootAndNothingElsewhere() throws {
        #expect(load(["/boot/grub/grub.cfg": "menuentry x {}"]) == nil)
        let config = try #require(load(["/boot/extlinux/extlinux.conf": "label e\n linux ../vmlinuz"]))
        #expect(config.entries.first?.kernel == BootFile("/boot/vmlinuz"))
    }

    // MARK: Labels, kernels, command lines

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let config = try #require(load(["/isolinux/isolinux.cfg": """
            default linux
            label linux
              kernel vmlinuz
              append initrd=initrd.img,extra.img root=live:CDLABEL=X quiet
            """]))
        let entry = try #require(config.entries.first)
        #expect(entry.id == "linux")
        #expect(entry.kernel == BootFile("/isolinux/vmlinuz"))
        #expect(entry.initrds == [BootFile("/isolinux/initrd.img"), BootFile("/isolinux/extra.img")])
        // Syslinux passes initrd= on to the kernel with the rest of the line.
        #expect(entry.commandLine == "initrd=initrd.img,extra.img root=live:CDLABEL=X quiet")
        #expect(entry.origin == SourceLocation(file: "/isolinux/isolinux.cfg", line: 2))
        #expect(entry.unbootableReason == nil)
    }

    @Test func labelAppendReplacesTheGlobalOneAndDashClearsIt() throws {
        let config = try #require(load(["/syslinux.cfg": """
            APPEND console=ttyS0
            LABEL own
              LINUX /a
              APPEND console=tty0
            LABEL dash
              LINUX /b
              APPEND -
            LABEL global
              LINUX /c
            """]))
        #expect(config.entries.map(\.commandLine) == ["console=tty0", "", "console=ttyS0"])
    }

    @Test func initrdDirectiveIsAddedToTheCommandLineAndOnlyTheFirstInitrdOptionCounts() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": """
            label one
              kernel /vmlinuz
              initrd /a.img,/b.img
              append root=/dev/sda1
            label two
              kernel /vmlinuz
              initrd /late.img
              append initrd=/early.img quiet
            """]))
        #expect(config.entries[0].commandLine == "root=/dev/sda1 initrd=/a.img,/b.img")
        #expect(config.entries[0].initrds.map(\.path) == ["/a.img", "/b.img"])
        // Syslinux looks for the first "initrd=" only: INITRD comes after APPEND.
        #expect(config.entries[1].initrds.map(\.path) == ["/early.img"])
    }

    @Test func optionsOnTheKernelLineComeFirst() throws {
        let config = try #require(load(["/syslinux.cfg": "label x\n kernel /vmlinuz ro\n append quiet"]))
        #expect(config.entries.first?.kernel == BootFile("/vmlinuz"))
        #expect(config.entries.first?.commandLine == "ro quiet")
    }

    @Test func aLabelWithoutKernelBootsTheFileNamedLikeIt() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": "label vmlinuz\n append quiet"]))
        #expect(config.entries.first?.kernel == BootFile("/syslinux/vmlinuz"))
    }

    @Test func keywordsAreCaseInsensitiveAndDosLineEndsWork() throws {
        let config = try #require(load(["/syslinux.cfg": "\u{FEFF}DeFaUlT x\r\nLaBeL x\r\n  KeRnEl /k\r\n  aPPend a=1\r\n"]))
        #expect(config.entries.first?.commandLine == "a=1")
        #expect(config.entries.first?.kernel == BootFile("/k"))
        #expect(config.diagnostics.isEmpty)
    }

    @Test func backslashesAndTheTftpRootPrefixAreFileNames() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": "label x\n kernel \\boot\\vmlinuz\n initrd ::/initrd.gz"]))
        #expect(config.entries.first?.kernel == BootFile("/boot/vmlinuz"))
        #expect(config.entries.first?.initrds == [BootFile("/initrd.gz")])
    }

    @Test func relativeNamesFallBackToTheRootWhenOnlyThereLikeUBoot() throws {
        let config = try #require(load([
            "/extlinux/extlinux.conf": "label x\n kernel boot/Image\n fdt boot/board.dtb\n initrd missing.img",
            "/boot/Image": "", "/boot/board.dtb": "",
        ]))
        let entry = try #require(config.entries.first)
        #expect(entry.kernel == BootFile("/boot/Image"))
        #expect(entry.devicetree == BootFile("/boot/board.dtb"))
        #expect(entry.initrds == [BootFile("/extlinux/missing.img")])
    }

    @Test func namesMatchWithoutRegardToCaseLikeOnFATAndISO9660() throws {
        let config = try #require(load([
            "/isolinux/isolinux.cfg": "default x\nlabel x\n kernel /CASPER/VMLINUZ\n append initrd=/casper/INITRD.LZ",
            "/casper/vmlinuz": "", "/casper/initrd.lz": "",
        ]))
        #expect(config.entries.first?.kernel == BootFile("/casper/vmlinuz"))
        #expect(config.entries.first?.initrds == [BootFile("/casper/initrd.lz")])
        // The command line stays as written: it is what syslinux passes.
        #expect(config.entries.first?.commandLine == "initrd=/casper/INITRD.LZ")
    }

    @Test func latin1MenusKeepTheirLetters() throws {
        var view = MemoryFileView([:])
        view.files["/syslinux.cfg"] = Array("default x\nlabel x\n menu label D".utf8) + [0xE9] + Array("marrer\n kernel /k".utf8)
        let config = try #require(SyslinuxConfig.load(from: view))
        #expect(config.entries.first?.title == "Démarrer")
    }

    @Test func devicetreeKeywords() throws {
        let config = try #require(load(["/extlinux/extlinux.conf": """
            label a
              linux /Image
              devicetree /a.dtb
            label b
              linux /Image
              fdtdir /dtbs
            """]))
        #expect(config.entries[0].devicetree == BootFile("/a.dtb"))
        // FDTDIR picks a file by board name; kexec keeps the running devicetree instead.
        #expect(config.entries[1].devicetree == nil)
    }

    // MARK: Menus

    @Test func menuLabelsShowWithoutCaretsAndSubmenusAsAPath() throws {
        let config = try #require(load(["/isolinux/isolinux.cfg": """
            ui vesamenu.c32
            menu title Installer
            label live
              menu label ^Start the live system
              kernel /live/vmlinuz
            menu begin ^Troubleshooting
              menu title Troubleshooting
              label safe
                menu label Start in ^basic graphics mode
                kernel /live/vmlinuz
                append nomodeset
              menu begin deeper
                menu label ^More
                label more
                  kernel /more
              menu end
              label back
                menu label Return to ^main menu
                menu exit
            menu end
            """]))
        #expect(config.entries.map(\.title) == [
            "Start the live system",
            "Troubleshooting > Start in basic graphics mode",
            "Troubleshooting > More > more",
        ])
        #expect(config.entries.map(\.id) == ["live", "safe", "more"])
        #expect(config.diagnostics.isEmpty)
    }

    @Test func separatorsDisabledHiddenAndNavigationAreNotEntries() throws {
        let config = try #require(load(["/syslinux.cfg": """
            ui menu.c32
            label a
              kernel /a
            menu separator
            label b
              menu disable
              kernel /b
            label c
              menu hide
              kernel /c
            label d
              menu quit
            label e
              kernel /e
            """]))
        #expect(config.entries.map(\.id) == ["a", "e"])
    }

    @Test func hiddenLabelsAreListedWhenThereIsNoMenu() throws {
        let config = try #require(load(["/syslinux.cfg": "prompt 1\ndefault a\nlabel a\n kernel /a\nlabel c\n menu hide\n kernel /c"]))
        #expect(config.entries.map(\.id) == ["a", "c"])
    }

    @Test func menuDefaultPicksTheDefaultAndUIDefaultOverridesIt() throws {
        let body = """
            label a
              kernel /a
            label b
              menu default
              kernel /b
            label c
              kernel /c
            """
        let oldStyle = try #require(load(["/syslinux.cfg": "default vesamenu.c32\ndefault c\ndefault menu.c32\n" + body]))
        #expect(oldStyle.defaultIndex == 1)
        let withUI = try #require(load(["/syslinux.cfg": "ui menu.c32\ndefault c\n" + body]))
        #expect(withUI.defaultIndex == 2)
        let noMatch = try #require(load(["/syslinux.cfg": "ui menu.c32\ndefault nosuch\n" + body]))
        #expect(noMatch.defaultIndex == 1)
        #expect(messages(noMatch).contains { $0.contains("DEFAULT nosuch names no label") })
    }

    @Test func aSubmenuMarkedDefaultLeadsToItsOwnDefault() throws {
        let config = try #require(load(["/syslinux.cfg": """
            ui menu.c32
            label a
              kernel /a
            menu begin more
              menu default
              label b
                kernel /b
              label c
                menu default
                kernel /c
            menu end
            """]))
        #expect(config.entries[config.defaultIndex].id == "c")
    }

    @Test func theMenuStartsOnItsFirstEntryWithoutDefault() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\nmenu begin s\nlabel back\n menu exit\nlabel x\n kernel /x\nmenu end\nlabel y\n kernel /y"]))
        #expect(config.entries.map(\.id) == ["x", "y"])
        #expect(config.defaultIndex == 0)
    }

    @Test func menuDefaultUnderAUIDefaultLabelWithOptionsIgnoresTheOptions() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ndefault b single\nlabel a\n kernel /a\nlabel b\n kernel /b"]))
        #expect(config.defaultIndex == 1)
        #expect(config.entries.count == 2)
    }

    @Test func helpTextIsKeptWithoutIndentation() throws {
        let config = try #require(load(["/syslinux.cfg": """
            label x
              kernel /x
              text help
            \tTry this option if the machine
            \thangs at boot.
              endtext
            """]))
        #expect(config.entries.first?.help == "Try this option if the machine\nhangs at boot.")
    }

    // MARK: Defaults and timeouts

    @Test(arguments: [("0", nil), ("1", 1), ("10", 1), ("11", 2), ("600", 60), ("-5", nil)] as [(String, Int?)])
    func menuTimeoutIsTenthsRoundedUp(tenths: String, seconds: Int?) throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout \(tenths)\nlabel a\n kernel /a"]))
        #expect(config.timeout == seconds)
    }

    @Test func totalTimeoutBoundsTheWait() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 0\ntotaltimeout 300\nlabel a\n kernel /a"]))
        #expect(config.timeout == 30)
        let both = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 100\ntotaltimeout 50\nlabel a\n kernel /a"]))
        #expect(both.timeout == 5)
    }

    @Test func aTimeoutInsideASubmenuIsThatSubmenus() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 50\nmenu begin s\ntimeout 300\nlabel a\n kernel /a\nmenu end"]))
        #expect(config.timeout == 5)
    }

    @Test func withoutAPromptTheDefaultBootsAtOnce() throws {
        let config = try #require(load(["/syslinux.cfg": "PROMPT 0\nTIMEOUT 50\nDEFAULT b\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b"]))
        #expect(config.defaultIndex == 1)
        #expect(config.timeout == 0)
        let prompting = try #require(load(["/syslinux.cfg": "PROMPT 1\nTIMEOUT 50\nDEFAULT b\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b"]))
        #expect(prompting.timeout == 5)
        #expect(prompting.defaultIndex == 1)
    }

    @Test func withoutDefaultNothingBootsByItself() throws {
        let config = try #require(load(["/syslinux.cfg": "timeout 50\nlabel a\n kernel /a"]))
        #expect(config.timeout == nil)
        #expect(messages(config).contains { $0.contains("no DEFAULT or UI") })
    }

    @Test func onTimeoutChoosesWhatBootsWhenTheTimeRunsOut() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 30\nontimeout b\nlabel a\n menu default\n kernel /a\nlabel b\n kernel /b"]))
        #expect(config.defaultIndex == 1)
        let hidden = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 30\nontimeout h\nlabel a\n kernel /a\nlabel h\n menu hide\n kernel /h"]))
        #expect(hidden.entries.map(\.id) == ["a", "h"])
        #expect(hidden.defaultIndex == 1)
    }

    @Test func onTimeoutInASubmenuIsThatSubmenus() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\ntimeout 30\nlabel a\n kernel /a\nmenu begin s\nontimeout b\nlabel b\n kernel /b\nmenu end"]))
        #expect(config.defaultIndex == 0)
    }

    @Test func withoutAMenuALabelIsItsFirstWord() throws {
        let config = try #require(load(["/syslinux.cfg": "default linux\nlabel linux (recovery)\n kernel /k"]))
        #expect(config.entries.first?.id == "linux")
        #expect(config.entries.first?.title == "linux (recovery)")
        #expect(config.defaultIndex == 0)
        let menu = try #require(load(["/syslinux.cfg": "ui menu.c32\ndefault linux\nlabel linux (recovery)\n kernel /k\nlabel x\n menu default\n kernel /x"]))
        #expect(menu.entries.first?.id == "linux (recovery)")
        // The menu compares the whole LABEL text, so "linux" names nothing there.
        #expect(menu.defaultIndex == 1)
    }

    @Test func defaultCanNameAKernelWithOptions() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": "append quiet\ndefault vmlinuz root=/dev/sda1\nlabel other\n kernel /other"]))
        let entry = config.entries[config.defaultIndex]
        #expect(entry.kernel == BootFile("/syslinux/vmlinuz"))
        #expect(entry.commandLine == "quiet root=/dev/sda1")
        #expect(entry.title == "vmlinuz root=/dev/sda1")
        #expect(config.timeout == 0)
    }

    @Test func implicitZeroForbidsADefaultThatIsNoLabel() throws {
        let config = try #require(load(["/syslinux.cfg": "DEFAULT boot\nLABEL backup\n KERNEL /b\nIMPLICIT 0"]))
        #expect(config.entries.map(\.id) == ["backup"])
        #expect(config.timeout == nil)
        #expect(messages(config).contains { $0.contains("IMPLICIT 0") })
    }

    @Test func defaultLabelWithOptionsAddsThem() throws {
        let config = try #require(load(["/syslinux.cfg": "default linux single\nlabel linux\n kernel /vmlinuz\n append ro"]))
        #expect(config.entries.count == 2)
        #expect(config.entries[config.defaultIndex].commandLine == "ro single")
        #expect(config.entries[config.defaultIndex].title == "linux single")
    }

    // MARK: What kexec cannot boot

    @Test func nonLinuxImagesAreShownWithAReason() throws {
        let config = try #require(load(["/isolinux/isolinux.cfg": """
            label local
              localboot 0x80
            label hdt
              com32 hdt.c32
            label reboot
              kernel reboot.c32
            label off
              com32 poweroff
            label chain
              com32 chain.c32 hd0 1
            label floppy
              fdimage /floppy.img
            label bss
              kernel /boot.bss
            label com
              kernel /tool.com
            label disk
              kernel memdisk
              initrd /disk.img
            """]))
        #expect(config.entries.count == 9)
        for entry in config.entries {
            #expect(entry.unbootableReason != nil, "\(entry.title)")
        }
        #expect(config.entries[0].kernel == nil)
        #expect(config.entries[0].unbootableReason?.hasPrefix("LOCALBOOT") == true)
        #expect(config.entries[1].kernel == BootFile("/isolinux/hdt.c32"))
        #expect(config.entries[3].unbootableReason?.contains("poweroff.c32") == true)
    }

    @Test func multibootShowsTheHypervisorAndModules() throws {
        let config = try #require(load(["/isolinux/isolinux.cfg": """
            label xen
              kernel mboot.c32
              append xen.gz console=none --- vmlinuz quiet --- initrd.img
            """]))
        let entry = try #require(config.entries.first)
        #expect(entry.kernel == BootFile("/isolinux/xen.gz"))
        #expect(entry.commandLine == "console=none")
        #expect(entry.unbootableReason == "multiboot (mboot.c32): xen.gz with modules vmlinuz, initrd.img; kexec boots Linux kernels only")
    }

    @Test func linuxC32BootsTheKernelItNames() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": "label x\n com32 linux.c32\n append /vmlinuz initrd=/i.gz quiet"]))
        let entry = try #require(config.entries.first)
        #expect(entry.kernel == BootFile("/vmlinuz"))
        #expect(entry.initrds == [BootFile("/i.gz")])
        #expect(entry.commandLine == "initrd=/i.gz quiet")
        #expect(entry.unbootableReason == nil)
    }

    @Test func ifcpu64BootsTheSixtyFourBitLabel() throws {
        let config = try #require(load(["/syslinux.cfg": """
            ui menu.c32
            label live
              menu label Live
              kernel ifcpu64.c32
              append live64 -- live32
            label live64
              menu hide
              kernel /vmlinuz64
            label live32
              menu hide
              kernel /vmlinuz
            """]))
        #expect(config.entries.map(\.title) == ["Live"])
        #expect(config.entries.first?.kernel == BootFile("/vmlinuz64"))
    }

    @Test func kernelExtensionsAreTriedWhenTheFileIsMissing() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": "label h\n kernel hdt", "/syslinux/hdt.c32": ""]))
        #expect(config.entries.first?.kernel == BootFile("/syslinux/hdt.c32"))
        #expect(config.entries.first?.unbootableReason != nil)
    }

    @Test func passwordProtectedEntriesAreNotBooted() throws {
        let config = try #require(load(["/syslinux.cfg": "ui menu.c32\nlabel a\n menu passwd $4$x\n kernel /a\nmenu begin s\nmenu passwd secret\nlabel b\n kernel /b\nmenu end"]))
        #expect(config.entries.allSatisfy { $0.unbootableReason?.contains("MENU PASSWD") == true })
    }

    // MARK: INCLUDE and CONFIG

    @Test func includeIsRelativeToTheWorkingDirectoryAndContinuesTheLabel() throws {
        let config = try #require(load([
            "/isolinux/isolinux.cfg": "include sub/menu.cfg\nappend quiet",
            "/isolinux/sub/menu.cfg": "label a\n kernel vmlinuz\ninclude sub/more.cfg",
            "/isolinux/sub/more.cfg": "append single\nlabel b\n kernel /b",
        ]))
        // Files behave as if concatenated: more.cfg's APPEND belongs to label a.
        #expect(config.entries.map(\.commandLine) == ["single", "quiet"])
        #expect(config.entries.first?.kernel == BootFile("/isolinux/vmlinuz"))
        #expect(config.entries[1].origin == SourceLocation(file: "/isolinux/sub/more.cfg", line: 2))
    }

    @Test func menuIncludeWithATagMakesASubmenu() throws {
        let config = try #require(load([
            "/syslinux.cfg": "ui menu.c32\nlabel a\n kernel /a\nmenu include tools.cfg ^Tools\nlabel z\n kernel /z",
            "/tools.cfg": "label t\n kernel /t",
        ]))
        #expect(config.entries.map(\.title) == ["a", "Tools > t", "z"])
    }

    @Test func missingAndCyclicIncludesAreReportedAndSkipped() throws {
        let config = try #require(load([
            "/syslinux.cfg": "include a.cfg\ninclude gone.cfg\nlabel x\n kernel /x",
            "/a.cfg": "include b.cfg",
            "/b.cfg": "include /a.cfg",
        ]))
        #expect(config.entries.map(\.id) == ["x"])
        let found = config.diagnostics.map(\.description)
        #expect(found.contains { $0.hasPrefix("/b.cfg:1: warning:") && $0.contains("/syslinux.cfg > /a.cfg > /b.cfg > /a.cfg") })
        #expect(found.contains { $0.hasPrefix("/syslinux.cfg:2: warning: INCLUDE gone.cfg") })
    }

    @Test func includeChainsStopAtSixteenLevels() throws {
        var files: [String: String] = ["/syslinux.cfg": "include 1.cfg"]
        for n in 1...30 { files["/\(n).cfg"] = "label l\(n)\n kernel /k\ninclude \(n + 1).cfg" }
        let config = try #require(load(files))
        #expect(config.entries.count == 16)
        #expect(messages(config).contains { $0.contains("deeper than 16") })
    }

    @Test func includeFanOutIsBounded() throws {
        // Ten includes of ten includes of … would be 10^8 files without a bound.
        var files: [String: String] = [:]
        for level in 0..<8 {
            files["/\(level).cfg"] = String(repeating: "include \(level + 1).cfg\n", count: 10)
        }
        files["/8.cfg"] = "label x\n kernel /x"
        files["/syslinux.cfg"] = "include 0.cfg"
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let config = try #require(load(files))
            #expect(config.diagnostics.contains { $0.severity == .error && $0.message.contains("too large") })
        }
        #expect(elapsed < .seconds(20))
    }

    @Test func bytesReadAreBoundedAcrossIncludes() throws {
        // 700 includes of a 100 KB file of long comments: few lines and files, but 70 MB read.
        let comment = "#" + String(repeating: "x", count: 4_000) + "\n"
        let files: [String: String] = [
            "/syslinux.cfg": String(repeating: "include big.cfg\n", count: 700),
            "/big.cfg": String(repeating: comment, count: 25),
        ]
        let config = try #require(load(files))
        #expect(config.diagnostics.contains { $0.severity == .error && $0.message.contains("64 MiB read") })
    }

    @Test func configShowsTheOtherFilesEntriesAsASubmenu() throws {
        let config = try #require(load([
            "/isolinux/isolinux.cfg": """
                ui vesamenu.c32
                label install
                  kernel /install/vmlinuz
                label help
                  menu label ^Help
                  config help.cfg
                """,
            "/isolinux/help.cfg": """
                prompt 1
                default install
                label install
                  kernel /install/vmlinuz
                label rescue
                  kernel /install/vmlinuz
                  append rescue
                label menu
                  kernel vesamenu.c32
                  config isolinux.cfg
                """,
        ]))
        // The copy of "install" and the link back to the main menu add nothing.
        #expect(config.entries.map(\.title) == ["install", "Help > rescue"])
        #expect(config.entries[1].origin.file == "/isolinux/help.cfg")
    }

    @Test func configChangesTheWorkingDirectoryToItsAppend() throws {
        let config = try #require(load([
            "/syslinux.cfg": "ui menu.c32\nlabel other\n config /other/other.cfg /other\n",
            "/other/other.cfg": "label x\n kernel vmlinuz",
        ]))
        #expect(config.entries.first?.kernel == BootFile("/other/vmlinuz"))
        #expect(config.entries.first?.title == "other > x")
    }

    @Test func aDefaultConfigLabelWithoutPromptSwitchesToThatFile() throws {
        let config = try #require(load([
            "/syslinux.cfg": "default go\nlabel go\n config /boot/isolinux/isolinux.cfg /boot/isolinux",
            "/boot/isolinux/isolinux.cfg": "ui menu.c32\ntimeout 100\nlabel a\n kernel vmlinuz\nlabel b\n menu default\n kernel vmlinuz\n append b",
        ], path: "/syslinux.cfg"))
        #expect(config.entries.map(\.title) == ["a", "b"])
        #expect(config.defaultIndex == 1)
        #expect(config.timeout == 10)
        #expect(config.entries.first?.kernel == BootFile("/boot/isolinux/vmlinuz"))
    }

    @Test func uiWithAConfigFileShowsThatFile() throws {
        let config = try #require(load([
            "/syslinux/syslinux.cfg": "ui vesamenu.c32 menu/real.cfg\nlabel ignored\n kernel /x",
            "/syslinux/menu/real.cfg": "label real\n kernel /real",
        ]))
        #expect(config.entries.map(\.id) == ["real"])
    }

    @Test func configCyclesEnd() throws {
        let config = try #require(load([
            "/syslinux.cfg": "ui menu.c32\nlabel a\n config b.cfg",
            "/b.cfg": "label b\n config syslinux.cfg\nlabel c\n config c.cfg",
            "/c.cfg": "label c\n config b.cfg\nlabel x\n kernel /x",
        ]))
        #expect(config.entries.map(\.title) == ["a > c > x"])
    }

    // MARK: Diagnostics

    @Test func unknownAndMisplacedLinesAreDiagnosedWithFileAndLine() throws {
        let config = try #require(load(["/syslinux/syslinux.cfg": """
            # a comment
            KERNEL /vmlinuz
            frobnicate 1
            menu frobnicate
            label a
              kernel /a
            menu end
            @PLACEHOLDER@
            """]))
        #expect(config.entries.map(\.id) == ["a"])
        #expect(config.diagnostics.map(\.description) == [
            "/syslinux/syslinux.cfg:2: warning: KERNEL outside a LABEL is ignored",
            "/syslinux/syslinux.cfg:3: warning: unknown directive 'frobnicate' ignored",
            "/syslinux/syslinux.cfg:4: warning: unknown directive 'MENU FROBNICATE' ignored",
            "/syslinux/syslinux.cfg:7: warning: MENU END without MENU BEGIN",
            "/syslinux/syslinux.cfg:8: warning: unknown directive '@PLACEHOLDER@' ignored",
            "/syslinux/syslinux.cfg:0: warning: no DEFAULT or UI: syslinux would stop at its boot: prompt, and nothing boots by itself",
        ])
    }

    @Test func ignoredDirectivesAreQuiet() throws {
        let config = try #require(load(["/syslinux.cfg": """
            serial 0 115200
            say Hello
            display boot.msg
            f1 help.txt
            f10 more.txt
            noescape 1
            allowoptions 0
            prompt 0
            font lat1-16.psf
            kbdmap de.ktl
            ui vesamenu.c32
            menu color sel 0 #ffffffff #00000000 none
            menu vshift 8
            menu background splash.png
            menu title Hi
            label a
              sysappend 3
              ipappend 2
              kernel /a
            """]))
        #expect(config.diagnostics.isEmpty)
    }

    @Test func textWithoutEndtextTakesTheRestOfTheFile() throws {
        let config = try #require(load(["/syslinux.cfg": "label a\n kernel /a\n text help\nlabel b\n kernel /b"]))
        #expect(config.entries.map(\.id) == ["a"])
        #expect(config.entries.first?.help == "label b\nkernel /b")
        #expect(messages(config).contains { $0.contains("TEXT without ENDTEXT") })
    }
}
