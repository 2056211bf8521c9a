// Tests for the walking skeleton's GRUB subset: entries, defaults, timeouts and diagnostics.

import Testing
@testable import BootConfig

@Suite struct GrubSubsetParserTests {
    let debianLike = """
        set default=0
        set timeout=5
        insmod part_gpt
        menuentry 'Debian GNU/Linux' --class debian --class gnu-linux $menuentry_id_option 'gnulinux-simple' {
        \tload_video
        \tinsmod gzio
        \tlinux\t/boot/vmlinuz-6.1.0-13-amd64 root=UUID=abcd ro  quiet
        \tinitrd\t/boot/initrd.img-6.1.0-13-amd64
        }
        submenu 'Advanced options for Debian GNU/Linux' {
        \tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)' {
        \t\tlinux /boot/vmlinuz-6.1.0-13-amd64 root=UUID=abcd ro single
        \t\tinitrd /boot/intel-ucode.img /boot/initrd.img-6.1.0-13-amd64
        \t}
        }
        """

    @Test func readsEntriesInOrderWithSubmenuTitles() {
        let config = GrubSubsetParser.parse(debianLike, path: "/boot/grub/grub.cfg")
        #expect(config.entries.map(\.title) == [
            "Debian GNU/Linux",
            "Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)",
        ])
        #expect(config.entries[0].kernel == BootFile("/boot/vmlinuz-6.1.0-13-amd64"))
        #expect(config.entries[0].commandLine == "root=UUID=abcd ro quiet")
        #expect(config.entries[0].origin == SourceLocation(file: "/boot/grub/grub.cfg", line: 4))
        #expect(config.timeout == 5)
        #expect(config.defaultIndex == 0)
        #expect(config.diagnostics.isEmpty)
    }

    @Test func keepsEveryInitrdInOrder() {
        let config = GrubSubsetParser.parse(debianLike, path: "/boot/grub/grub.cfg")
        #expect(config.entries[1].initrds.map(\.path) == ["/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-13-amd64"])
    }

    @Test(arguments: [("1", 1), ("'Second'", 1), ("0", 0), ("7", 0)])
    func defaultByIndexOrTitle(value: String, expected: Int) {
        let text = """
            set default=\(value)
            menuentry 'First' { linux /a }
            menuentry 'Second' { linux /b }
            """
        #expect(GrubSubsetParser.parse(text, path: "/g.cfg").defaultIndex == expected)
    }

    @Test func defaultNamingNoEntryIsReportedWithItsLine() {
        let text = "menuentry 'A' {\n linux /a\n}\nset default=9\n"
        let config = GrubSubsetParser.parse(text, path: "/g.cfg")
        #expect(config.diagnostics.map(\.location.line) == [4])
    }

    @Test func oneLineEntriesSplitOnSemicolonsAndBraces() {
        let config = GrubSubsetParser.parse("menuentry \"A \\\"b\\\"\" { linux /k x=1; initrd /i }", path: "/g.cfg")
        #expect(config.entries == [BootEntry(title: "A \"b\"", kernel: BootFile("/k"), initrds: [BootFile("/i")], commandLine: "x=1", origin: .init(file: "/g.cfg", line: 1))])
    }

    @Test func variablesAreExpanded() {
        let text = """
            set root_opts="root=/dev/vda1 ro"
            menuentry 'A' { linux /vmlinuz ${root_opts} $unset quiet }
            """
        #expect(GrubSubsetParser.parse(text, path: "/g.cfg").entries.first?.commandLine == "root=/dev/vda1 ro  quiet")
    }

    @Test func timeoutMinusOneWaitsForTheUser() {
        #expect(GrubSubsetParser.parse("set timeout=-1", path: "/g.cfg").timeout == nil)
        #expect(GrubSubsetParser.parse("set timeout=0", path: "/g.cfg").timeout == 0)
        #expect(GrubSubsetParser.parse("", path: "/g.cfg").timeout == nil)
    }

    @Test func unknownCommandsAndIfBlocksBecomeDiagnostics() {
        let text = """
            frobnicate now
            if [ -s $prefix/grubenv ]; then
              load_env
              if true; then menuentry 'hidden' { linux /x }; fi
            fi
            menuentry 'Shown' { linux /k }
            """
        let config = GrubSubsetParser.parse(text, path: "/boot/grub/grub.cfg")
        #expect(config.entries.map(\.title) == ["Shown"])
        #expect(config.diagnostics.map(\.location.line) == [1, 2])
        #expect(config.diagnostics[0].description == "/boot/grub/grub.cfg:1: warning: unknown command 'frobnicate' ignored")
    }

    @Test func multibootAndKernellessEntriesAreUnbootableWithAReason() {
        let text = """
            menuentry 'Xen' { multiboot2 /xen.gz; module2 /vmlinuz; }
            menuentry 'Empty' { echo nothing }
            """
        let entries = GrubSubsetParser.parse(text, path: "/g.cfg").entries
        #expect(entries.map(\.unbootableReason) == ["'module2' cannot be booted with kexec", "no 'linux' command"])
    }

    @Test func unclosedBlocksAreReported() {
        let config = GrubSubsetParser.parse("menuentry 'A' {\n linux /k\n", path: "/g.cfg")
        #expect(config.entries.isEmpty)
        #expect(config.diagnostics.count == 1)
    }

    @Test func commentsAndContinuations() {
        let text = "# comment\nmenuentry 'A' { # trailing\n linux /k a=1 \\\n b=2 # c=3\n}\n"
        #expect(GrubSubsetParser.parse(text, path: "/g.cfg").entries.first?.commandLine == "a=1 b=2")
    }

    @Test func locatorFindsTheFirstConfigInLookupOrder() {
        let view = MemoryFileView([
            "/grub/grub.cfg": "menuentry 'second' { linux /b }",
            "/boot/grub/grub.cfg": "menuentry 'first' { linux /a }",
        ])
        let config = ConfigLocator.loadConfiguration(from: view)
        #expect(config?.path == "/boot/grub/grub.cfg")
        #expect(config?.entries.first?.title == "first")
        #expect(ConfigLocator.loadConfiguration(from: MemoryFileView([:])) == nil)
    }
}
