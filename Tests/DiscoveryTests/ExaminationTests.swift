// The examination child end to end on the host: Baton's own binary (built beside this test
// bundle) in its examine mode, fed a directory as a device, answering over a pipe — and a child
// that traps, runs past its wall clock or its CPU time costing only its own report.

import BootModel
import Foundation
import LinuxPlatform
import Network
import Testing
@testable import Discovery

@Suite struct ExaminationTests {
    /// The `baton` executable that `swift build` puts beside the test bundle.
    static func baton() throws -> String {
        let bundle = try #require(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
        // The test runner may sit inside the .xctest bundle's own folder.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("baton").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        Issue.record("no baton executable near \(bundle): build it with `swift build` before `swift test`")
        throw CancellationError()
    }

    static func tree(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "baton-examine-" + UUID().uuidString
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    func job(_ root: String, limits: ChildLimits = ExaminationLimits.standard) throws -> DeviceJob {
        var job = DeviceJob(name: "vdb", generation: 7, mountRoot: "/nonexistent-baton-test", known: [], grubPlatform: "pc")
        job.executable = try Self.baton()
        job.directory = root
        job.limits = limits
        return job
    }

    @Test func aChildReadsTheDeviceAndAnswersAsData() throws {
        let root = try Self.tree(["/boot/grub/grub.cfg": "set timeout=3\nmenuentry 'Isolated' --id iso { linux /vmlinuz quiet\n initrd /initrd.img }\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try job(root).run()
        #expect(report.failure == nil)
        #expect(report.generation == 7)
        #expect(report.mount?.root == root)
        let configuration = try #require(report.configurations.first)
        #expect(configuration.path == "/boot/grub/grub.cfg")
        #expect(configuration.timeout == 3)
        #expect(configuration.entries.map(\.title) == ["Isolated"])
        #expect(configuration.entries.first?.commandLine == "quiet")
        #expect(configuration.entries.first?.initrds == [BootFile("/initrd.img")])
    }

    @Test func theChildRecordsWhatOpeningEachEntrysFilesSaid() throws {
        let root = try Self.tree([
            "/boot/grub/grub.cfg": "menuentry Present { linux /vmlinuz\n initrd /initrd.img }\nmenuentry Missing { linux /vmlinuz-gone }\nmenuentry 'No initrd' { linux /vmlinuz\n initrd /gone.img }\n",
            "/vmlinuz": "k", "/initrd.img": "i",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try job(root).run()
        let problems = try #require(report.fileProblems.first)
        #expect(problems.count == 3)
        #expect(problems[0] == nil)
        #expect(problems[1]?.contains("/vmlinuz-gone") == true && problems[1]?.contains("No such file") == true)
        #expect(problems[2]?.contains("/gone.img") == true)
    }

    @Test func aPlanWithoutOpeningTouchesNoFile() throws {
        let entry = BootEntry(title: "t", kernel: BootFile("/vmlinuz"), origin: SourceLocation(file: "/c", line: 1))
        let mount = MountedDevice(device: BlockDevice(name: "vdz", isPartition: false, probe: BlockProbeResult()), root: "/nonexistent-baton-root")
        let source = BootSource(mount: mount, configuration: BootConfiguration(path: "/c", entries: [entry]))
        guard case .success(let plan) = BootPlan.make(entry: entry, source: source, mounts: [mount], consoles: [], openFiles: false) else {
            Issue.record("the plan needed the file")
            return
        }
        #expect(plan.kernel.root == "/nonexistent-baton-root")
        guard case .failure = BootPlan.make(entry: entry, source: source, mounts: [mount], consoles: []) else {
            Issue.record("opening a missing file succeeded")
            return
        }
    }

    @Test func aTrappingReaderCostsOnlyItsDevice() throws {
        let root = try Self.tree(["/boot/grub/grub.cfg": "menuentry 'Trap here' { linux /vmlinuz }\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var trapping = try job(root)
        trapping.trapTitle = "Trap here"
        let report = trapping.run()
        let failure = try #require(report.failure)
        #expect(failure.contains("the reader crashed"), "\(failure)")
        #expect(report.configurations.isEmpty && report.mount == nil)
        #expect(report.log.last == "vdb: \(failure); skipped")
    }

    @Test func aReaderPastItsWallClockIsKilled() throws {
        // A configuration whose work budget takes far longer than 50 ms (a debug build, 200 000 steps).
        let root = try Self.tree(["/boot/grub/grub.cfg": "while true; do x=1; done\nmenuentry Late { linux /vmlinuz }\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let started = ContinuousClock.now
        let report = try job(root, limits: ChildLimits(cpuSeconds: 60, addressSpaceBytes: 1 << 30, wallMilliseconds: 50)).run()
        #expect(report.failure?.contains("ran past") == true, "\(report.failure ?? "no failure")")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func anUnreadableAnswerIsAFailureNotATrap() {
        let job = DeviceJob(name: "vdb", generation: 1, mountRoot: "/x", known: [], grubPlatform: "pc")
        for output in [[], [0xFF, 0xFF, 0xFF], Array(repeating: 0x80, count: 20), [0x06, 0x76, 0x64, 0x62, 0x02, 0x7F]] as [[UInt8]] {
            let report = Examination.report(for: .exited(status: 0, output: output, errors: ""), job: job)
            #expect(report.failure?.contains("unreadable") == true)
        }
    }

    @Test func reportsCrossTheWireWhole() throws {
        var report = DeviceReport(name: "sda1", generation: -3)
        report.mount = MountedDevice(
            device: BlockDevice(name: "sda1", isPartition: true, probe: BlockProbeResult(type: "ext4", uuid: "u-1", label: "L", partUUID: "p")),
            root: "/run/baton/sda1")
        var entry = BootEntry(title: "Tïtle", id: "x", kernel: BootFile("/k", on: .uuid("U")), initrds: [BootFile("/i", on: .label("B"))],
                              commandLine: "a b", origin: SourceLocation(file: "/boot/grub/grub.cfg", line: 12), hotkey: "é")
        entry.unbootableReason = "because"
        report.configurations = [BootConfiguration(path: "/p", entries: [entry], defaultIndex: 1, timeout: nil,
                                                   diagnostics: [Diagnostic(.error, "bad", at: SourceLocation(file: "/p", line: 1))],
                                                   timeoutStyle: .hidden, fallbackIndex: 0)]
        report.fileProblems = [["/k: No such file or directory"]]
        report.readWith = ["sda1", "vda"]
        report.log = ["one", ""]
        var wire = WireWriter()
        report.write(to: &wire)
        var reader = WireReader(wire.bytes)
        let back = try DeviceReport(from: &reader)
        #expect(reader.isAtEnd)
        #expect(back.configurations == report.configurations && back.readWith == report.readWith && back.log == report.log)
        #expect(back.fileProblems == report.fileProblems)
        #expect(back.mount?.device == report.mount?.device && back.mount?.root == report.mount?.root)
        // Every truncation is an error, never a trap.
        for n in 0..<wire.bytes.count {
            var cut = WireReader(Array(wire.bytes.prefix(n)))
            #expect((try? DeviceReport(from: &cut)) == nil)
        }
    }
}

/// A network job's child: Baton's own binary in its `examine-network` mode, and its answer's wire form.
@Suite struct NetworkJobTests {
    @Test func theChildAnswersForAnInterfaceThatIsGone() throws {
        let interface = NetworkInterface(name: "baton-none0", index: 9999, mac: nil, isEthernet: true)
        var job = NetworkJob(interface: interface, settings: NetworkSettings())
        job.executable = try ExaminationTests.baton()
        let report = job.run()
        #expect(report.interface == "baton-none0")
        #expect(report.source == nil)
        #expect(report.log == ["baton-none0: gone before its network job started"])
    }

    @Test func anAnswerRoundTripsAndRebuildsTheSource() throws {
        var answer = NetworkJobAnswer(interface: "eth0")
        answer.server = "http://192.0.2.1:8080/"
        let entry = BootEntry(title: "iPXE: vmlinuz", kernel: BootFile("/vmlinuz", on: .server("http://192.0.2.1:8080")),
                              origin: SourceLocation(file: "http://192.0.2.1:8080/boot.ipxe", line: 3), hotkey: "d")
        answer.configuration = BootConfiguration(path: "http://192.0.2.1:8080/boot.ipxe", entries: [entry], timeout: 0)
        answer.log = ["eth0: 192.0.2.50/24"]
        answer.marks = [.init(name: "net-lease", nanoseconds: 12_345)]
        var wire = WireWriter()
        answer.write(to: &wire)
        var reader = WireReader(wire.bytes)
        let back = try NetworkJobAnswer(from: &reader)
        #expect(reader.isAtEnd)
        #expect(back.configuration == answer.configuration && back.log == answer.log && back.marks.map(\.nanoseconds) == [12_345])
        let source = try #require(back.source)
        #expect(source.mount.device.name == "http://192.0.2.1:8080")
        #expect((source.mount.imageFiles as? NetworkFileView)?.url(of: "/vmlinuz").description == "http://192.0.2.1:8080/vmlinuz")
        // Cut short anywhere, it is an error, never a trap.
        for length in 0..<wire.bytes.count {
            var short = WireReader(Array(wire.bytes.prefix(length)))
            #expect(throws: WireError.self) { try NetworkJobAnswer(from: &short) }
        }
    }
}

@Suite struct NetworkSettingsTests {
    @Test func modesFromTheKernelCommandLine() {
        #expect(NetworkSettings(commandLine: KernelCommandLine("quiet")).mode == .dhcp)
        #expect(NetworkSettings(commandLine: KernelCommandLine("baton.net=off")).mode == .off)
        #expect(NetworkSettings(commandLine: KernelCommandLine("baton.net=192.0.2.50/24,192.0.2.1")).mode
            == .fixed(address: IPv4Address(192, 0, 2, 50), prefixLength: 24, router: IPv4Address(192, 0, 2, 1)))
        #expect(NetworkSettings(commandLine: KernelCommandLine("baton.net=192.0.2.50/24")).mode
            == .fixed(address: IPv4Address(192, 0, 2, 50), prefixLength: 24, router: nil))
        var said: [String] = []
        for bad in ["static", "192.0.2.50", "192.0.2.50/33", "192.0.2.50/24,x", "192.0.2.50/24,1.2.3.4,5"] {
            #expect(NetworkSettings(commandLine: KernelCommandLine("baton.net=\(bad)"), log: { said.append($0) }).mode == .off)
        }
        #expect(said.count == 5)
    }

    @Test func aRequestCarriesTheModeAndURL() throws {
        var settings = NetworkSettings(commandLine: KernelCommandLine("baton.net=192.0.2.50/24,192.0.2.1 baton.url=http://192.0.2.1/a.ipxe"))
        settings.dhcpTimeout = 12.5
        var wire = WireWriter()
        NetworkJobRequest(interface: "eth1", settings: settings).write(to: &wire)
        var reader = WireReader(wire.bytes)
        let back = try NetworkJobRequest(from: &reader)
        #expect(back.interface == "eth1" && back.settings.mode == settings.mode && back.settings.url == settings.url)
        #expect(back.settings.dhcpTimeout == 12.5)
    }
}

@Suite struct NetworkJobLogTests {
    /// The job's log comes back with its answer (an interface the kernel does not have: the link fails).
    @Test func theLogComesBackWithTheAnswer() {
        let interface = NetworkInterface(name: "baton-none1", index: 99_999, mac: MACAddress("52:54:00:00:00:99"), isEthernet: true)
        let answer = NetworkJob(interface: interface, settings: NetworkSettings()).examineHere()
        #expect(answer.configuration == nil)
        #expect(answer.log.count == 1)
        #expect(answer.log.first?.hasPrefix("baton-none1: ") == true)
    }
}
