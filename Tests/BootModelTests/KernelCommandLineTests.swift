// Tests for kernel command line parsing, `console=` addition and Baton's own parameters.

import Testing
@testable import BootModel

@Suite struct KernelCommandLineTests {
    @Test func splitsOnBlanksOutsideQuotes() {
        let line = KernelCommandLine("root=/dev/vda1  ro \"acpi_osi=Windows 2020\" quiet\n")
        #expect(line.parameters == ["root=/dev/vda1", "ro", "acpi_osi=Windows 2020", "quiet"])
        #expect(line.description == "root=/dev/vda1 ro \"acpi_osi=Windows 2020\" quiet")
    }

    @Test func addsConsoleOnlyWhenNoneIsNamed() {
        #expect(KernelCommandLine("ro quiet").addingConsole("ttyS0,115200").description == "ro quiet console=ttyS0,115200")
        #expect(KernelCommandLine("console=tty0 ro").addingConsole("ttyS0,115200").description == "console=tty0 ro")
        #expect(KernelCommandLine("ro").addingConsole(nil).description == "ro")
    }

    @Test func batonOptions() {
        let options = BatonOptions(commandLine: KernelCommandLine("console=ttyS0 baton.timeout=3 baton.debug quiet"))
        #expect(options == BatonOptions(timeout: 3, debug: true))
        #expect(BatonOptions(commandLine: KernelCommandLine("baton.timeout=x")) == BatonOptions())
        #expect(BatonOptions(commandLine: KernelCommandLine("baton.timeout=0")).timeout == 0)
        #expect(BatonOptions(commandLine: KernelCommandLine("baton.timeout=-4")).timeout == 0)
    }

    @Test func pathNormalisation() {
        #expect(Path.normalized("boot//grub/./../vmlinuz") == "/boot/vmlinuz")
        #expect(Path.normalized("/../../etc") == "/etc")
        #expect(Path.directory(of: "/boot/grub/grub.cfg") == "/boot/grub")
        #expect(Path.directory(of: "/vmlinuz") == "/")
    }
}

@Suite struct PathTests {
    @Test(arguments: ["/", "/boot", "/boot/vmlinuz-6.1", "/a/.hidden", "/a/...", "/a/b.c/d", "/..x", "/x..", "/.a"])
    func normalizedPathsStayAsTheyAre(path: String) {
        #expect(Path.isNormalized(path))
        #expect(Path.normalized(path) == path)
    }

    @Test(arguments: [
        ("", "/"), ("boot", "/boot"), ("//boot", "/boot"), ("/boot/", "/boot"), ("/./boot", "/boot"), ("/boot/.", "/boot"),
        ("/boot/..", "/"), ("/a/../b", "/b"), ("/a/./b", "/a/b"), ("/a//b", "/a/b"), ("/..", "/"), ("/../x", "/x"),
    ])
    func othersAreNormalized(path: String, expected: String) {
        #expect(!Path.isNormalized(path))
        #expect(Path.normalized(path) == expected)
    }
}
