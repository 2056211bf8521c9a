// The host tool's command line: what each form parses to, and what it refuses.

@testable import HostCommandLine
import Testing

@Suite struct HostCommandLineTests {
    @Test func listWithJsonAndDeviceOptionsInOrder() throws {
        let invocation = try HostCommandLine.parse(["list", "--json", "--uuid", "U1", "a", "b", "--as", "nvme0n1", "disk.img", "--label", "L", "c"])
        #expect(invocation.command == .list(json: true))
        #expect(invocation.devices == [
            DeviceArgument(path: "a", uuid: "U1"), DeviceArgument(path: "b"), DeviceArgument(path: "disk.img", name: "nvme0n1"),
            DeviceArgument(path: "c", label: "L"),
        ])
    }

    @Test func dryRunIsTheDefaultCommandAndTakesEntryAndConsole() throws {
        let invocation = try HostCommandLine.parse(["--dry-run", "--entry", "2", "--console", "ttyS0,115200", "--platform", "efi", "--set", "a=b=c", "dir"])
        #expect(invocation.command == .dryRun(entry: 2, console: "ttyS0,115200"))
        #expect(invocation.devices == [DeviceArgument(path: "dir")])
        #expect(invocation.platform == "efi")
        #expect(invocation.variables == ["a": "b=c"])
    }

    @Test func menuTimeoutGrubAstAndBenchConfigs() throws {
        #expect(try HostCommandLine.parse(["menu", "--timeout", "3", "d"]).command == .menu(timeout: 3))
        #expect(try HostCommandLine.parse(["grub-ast", "x.cfg"]).command == .grubAST(path: "x.cfg"))
        #expect(try HostCommandLine.parse(["bench-configs", "p", "q"]).command == .benchConfigs(paths: ["p", "q"]))
    }

    @Test func fetchAndNetboot() throws {
        #expect(try HostCommandLine.parse(["fetch", "--out", "f", "tftp://10.0.0.1/a"]).command == .fetch(url: "tftp://10.0.0.1/a", output: "f", certificates: nil))
        #expect(try HostCommandLine.parse(["fetch", "tftp://10.0.0.1/a"]).command == .fetch(url: "tftp://10.0.0.1/a", output: nil, certificates: nil))
        #expect(try HostCommandLine.parse(["fetch", "--ca", "ca.pem", "https://10.0.0.1/a"]).command
            == .fetch(url: "https://10.0.0.1/a", output: nil, certificates: "ca.pem"))
        #expect(try HostCommandLine.parse(["netboot", "--json", "eth0"]).command == .netboot(interface: "eth0", url: nil, json: true))
        #expect(try HostCommandLine.parse(["netboot", "--url", "http://192.0.2.1/a.ipxe", "eth0"]).command
            == .netboot(interface: "eth0", url: "http://192.0.2.1/a.ipxe", json: false))
        #expect(throws: HostCommandLineError.self) { try HostCommandLine.parse(["fetch"]) }
        #expect(throws: HostCommandLineError.self) { try HostCommandLine.parse(["netboot", "a", "b"]) }
        #expect(throws: HostCommandLineError.self) { try HostCommandLine.parse(["fetch", "--json", "tftp://x/y"]) }
    }

    /// The hand-written parser this replaces turned `--entry x` into nothing and unknown options
    /// into paths; both are errors now, with a message and a non-zero exit code.
    @Test(arguments: [
        ["--dry-run", "--entry", "x", "dir"],
        ["list", "--jsn", "dir"],
        ["list", "dir", "--bogus"],
        ["list"],
        ["list", "dir", "--uuid"],
        ["list", "dir", "--label", "L"],
        ["--dry-run", "--platform", "arm", "dir"],
        ["--dry-run", "--set", "novalue", "dir"],
        ["grub-ast"],
        ["menu", "--json", "d"],
        ["list", "--json=yes", "d"],
        ["--dry-run", "--timeout", "3", "d"],
    ])
    func refused(_ arguments: [String]) {
        #expect(throws: (any Error).self) {
            let invocation = try HostCommandLine.parse(arguments)
            Issue.record("parsed as \(invocation)")
        }
        do {
            _ = try HostCommandLine.parse(arguments)
        } catch {
            #expect(HostCommandLine.exitCode(for: error) == 2, "\(arguments)")
            #expect(!HostCommandLine.message(for: error).isEmpty)
        }
    }

    @Test func helpVersionAndNoArgumentsExplainThemselves() {
        for arguments in [["--help"], ["--version"], ["list", "--help"]] {
            do {
                let invocation = try HostCommandLine.parse(arguments)
                Issue.record("\(arguments) parsed as \(invocation)")
            } catch {
                #expect(HostCommandLine.exitCode(for: error) == 0, "\(arguments)")
                #expect(!HostCommandLine.message(for: error).isEmpty)
            }
        }
        for arguments in [[], ["dir"]] {
            do {
                let invocation = try HostCommandLine.parse(arguments)
                Issue.record("\(arguments) parsed as \(invocation)")
            } catch {
                #expect(HostCommandLine.exitCode(for: error) == 2, "\(arguments)")
                #expect(HostCommandLine.message(for: error).contains("list, --dry-run, menu"))
                #expect(HostCommandLine.message(for: error).contains("usage: baton list"))
            }
        }
        #expect(HostCommandLine.usage.contains("--dry-run"))
        #expect(HostCommandLine.usage.contains("--as NAME"))
    }

    @Test func valuesMayFollowAnEqualsSign() throws {
        let invocation = try HostCommandLine.parse(["--dry-run", "--entry=3", "--uuid=U", "d"])
        #expect(invocation.command == .dryRun(entry: 3, console: nil))
        #expect(invocation.devices == [DeviceArgument(path: "d", uuid: "U")])
    }

    @Test func aDeviceAfterDoubleDashMayStartWithADash() throws {
        let invocation = try HostCommandLine.parse(["list", "--label", "L", "--", "-odd"])
        #expect(invocation.devices == [DeviceArgument(path: "-odd", label: "L")])
    }
}
