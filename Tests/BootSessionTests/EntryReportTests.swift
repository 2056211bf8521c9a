// Host mode's output and the menu model: JSON escaping, the text listing, the boot plan, and
// which source decides the default.

import BootModel
@testable import BootSession
import Discovery
import LinuxPlatform
import Testing

@Suite struct EntryReportTests {
    static func source(_ device: String, entries: [BootEntry], defaultIndex: Int = 0, timeout: Int? = nil) -> BootSource {
        let mount = MountedDevice(
            device: BlockDevice(name: device, isPartition: true, probe: BlockProbeResult(type: "ext4", uuid: nil, label: nil)),
            root: device, imageFiles: MemoryFileView([:]))
        let configuration = BootConfiguration(
            path: "/boot/grub/grub.cfg", entries: entries, defaultIndex: defaultIndex, timeout: timeout, diagnostics: [])
        return BootSource(mount: mount, configuration: configuration)
    }

    static func entry(_ title: String, kernel: String = "/vmlinuz", cmdline: String = "ro") -> BootEntry {
        BootEntry(title: title, kernel: BootFile(kernel), initrds: [BootFile("/initrd.img")], commandLine: cmdline,
                  origin: SourceLocation(file: "/boot/grub/grub.cfg", line: 3))
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() {
        #expect(EntryReport.jsonString("a\"b\\c\nd\te\u{1}") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"")
    }

    @Test func jsonHasOneObjectPerEntryAndMarksTheDefault() {
        let model = MenuModel(sources: [Self.source("vda1", entries: [Self.entry("A"), Self.entry("B \"quoted\"")], defaultIndex: 1)],
                              mounts: [], options: BatonOptions())
        let lines = EntryReport.json(model).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].contains("\"title\": \"A\"") && lines[1].contains("\"default\": false"))
        #expect(lines[2].contains("\"title\": \"B \\\"quoted\\\"\"") && lines[2].contains("\"default\": true"))
        #expect(lines[2].contains("\"initrds\": [\"/initrd.img\"]"))
    }

    @Test func textListsKernelsAndTheTimeout() {
        let model = MenuModel(sources: [Self.source("vda1", entries: [Self.entry("A")], timeout: 5)], mounts: [], options: BatonOptions())
        let lines = EntryReport.text(model)
        #expect(lines.first?.hasPrefix("* 0 A") == true)
        #expect(lines.contains("      linux  /vmlinuz ro"))
        #expect(lines.last == "timeout: 5 s")
        let forced = MenuModel(sources: [Self.source("vda1", entries: [Self.entry("A")], timeout: 5)], mounts: [], options: BatonOptions(timeout: 0))
        #expect(EntryReport.text(forced).last == "timeout: 0 s")
    }

    @Test func planOfAMissingEntrySaysHowManyThereAre() {
        let model = MenuModel(sources: [Self.source("vda1", entries: [Self.entry("A")])], mounts: [], options: BatonOptions())
        guard case .failure(let error) = EntryReport.plan(model, entry: 4, console: nil) else {
            Issue.record("entry 4 planned")
            return
        }
        #expect(error.message == "no entry 4 (there are 1)")
    }

    @Test func theDecidingSourceKeepsTheDefaultWhenAnEarlierOneArrives() {
        let late = Self.source("sda1", entries: [Self.entry("Late")], defaultIndex: 0, timeout: 9)
        let first = Self.source("vdb1", entries: [Self.entry("X"), Self.entry("Y")], defaultIndex: 1, timeout: 3)
        let before = MenuModel(sources: [first], mounts: [], options: BatonOptions())
        let after = MenuModel(sources: [late, first], mounts: [], options: BatonOptions(), keeping: before.decidingSource)
        #expect(after.choices.map(\.entry.title) == ["Late", "X", "Y"])
        #expect(after.defaultIndex == 2)
        #expect(after.timeout == 3)
        let fresh = MenuModel(sources: [late, first], mounts: [], options: BatonOptions())
        #expect(fresh.defaultIndex == 0 && fresh.timeout == 9)
    }
}

@Suite struct WorkerSettingsTests {
    @Test(arguments: [
        WorkerSettings(run: 1), WorkerSettings(run: 4, safeMode: true), WorkerSettings(run: 2, consoleLogLevel: 7),
        WorkerSettings(run: 9, safeMode: true, consoleLogLevel: 0),
    ])
    func roundTripsThroughTheWorkersArguments(_ settings: WorkerSettings) {
        #expect(settings.arguments.first == "baton")
        #expect(WorkerSettings(arguments: settings.arguments.dropFirst()) == settings)
    }

    @Test(arguments: [
        [], ["worker"], ["examine", "--run=1"], ["worker", "--run=0"], ["worker", "--run=x"], ["worker", "--run=1", "--bogus"],
        ["worker", "--run=1", "--console-loglevel=high"],
    ])
    func whatIsNotAWorkersCommandLineIsNil(_ words: [String]) {
        #expect(WorkerSettings(arguments: words) == nil)
    }
}

@Suite struct TransferProgressLineTests {
    @Test func saysWhatHowMuchAndHowFast() {
        #expect(TransferProgressLine.text(name: "tftp://192.0.2.1/vmlinuz", bytes: 3_200_000, total: 7_500_000, milliseconds: 2_000)
            == "Fetching tftp://192.0.2.1/vmlinuz: 3.2 of 7.5 MB, 1.6 MB/s. Esc cancels.")
        #expect(TransferProgressLine.text(name: "http://192.0.2.1/initrd", bytes: 500_000, total: nil, milliseconds: 0)
            == "Fetching http://192.0.2.1/initrd: 0.5 MB, 0.0 MB/s. Esc cancels.")
    }
}
