// Examining one block device — probe, mark read-only, mount, read its configurations — in a
// child process of its own (Baton's binary in its `examine` mode), with limits on CPU time,
// memory and wall-clock time. What the child found comes back over a pipe as data. A child that
// traps, is killed or runs out of time costs only that device; a hung disk holds only its child.
// The worker never runs parser code on a device's files.

import BootConfig
import BootModel
import Grub
import LinuxPlatform

/// How much one device's examination may take. Generous for a real disk under emulation (the
/// work budget of a configuration ends far sooner); a bound for the rest.
public enum ExaminationLimits {
    public static let standard = ChildLimits(cpuSeconds: 20, addressSpaceBytes: 1 << 30, wallMilliseconds: 30_000)
}

/// What a job needs, copied in, so it shares nothing with the thread that started it.
struct DeviceJob: Sendable {
    var name: String
    /// Tells this job's report from an older one for the same name (a device removed and back).
    var generation: Int
    var mountRoot: String
    /// The devices mounted when the job started, for `search` in this device's configurations.
    var known: [MountedDevice]
    var grubPlatform: String
    /// Baton's own binary, started in its examine mode.
    var executable = "/proc/self/exe"
    var limits = ExaminationLimits.standard
    /// Host mode and tests: a directory read as this device's mounted filesystem (no probe, no mount).
    var directory: String?
    /// Tests of the isolation only: the child traps when it reads an entry of this title.
    var trapTitle: String?

    /// Runs the examination in a child and turns how it ended into a report.
    func run() -> DeviceReport {
        let started = Processes.monotonicMilliseconds()
        var wire = WireWriter()
        ExaminationRequest(job: self).write(to: &wire)
        var report: DeviceReport
        do {
            let outcome = try IsolatedChild.run(
                executable, arguments: ["baton", Examination.argument], input: wire.bytes, limits: limits,
                reap: { pid in try? BackgroundThread.start { IsolatedChild.waitFor(pid) } })
            report = Examination.report(for: outcome, job: self)
        } catch {
            report = DeviceReport(name: name, generation: generation)
            report.failure = "its examination could not be started: \(error)"
        }
        if let failure = report.failure {
            report.log.append("\(name): \(failure); skipped")
            // The child may have mounted the device before it failed: nothing of it is used.
            let target = "\(mountRoot)/\(name)"
            if Mounts.isMountPoint(target) { try? Mounts.unmount(target, detach: true) }
            report.mount = nil
            report.configurations = []
            report.fileProblems = []
        }
        report.milliseconds = Processes.monotonicMilliseconds() - started
        return report
    }

    /// The examination itself, as the child runs it.
    func examineHere() -> DeviceReport {
        var lines: [String] = []
        var scanner = DeviceScanner(log: { lines.append($0) })
        scanner.mountRoot = mountRoot
        var report = DeviceReport(name: name, generation: generation)
        let found: MountedDevice? = if let directory {
            MountedDevice(device: BlockDevice(name: name, isPartition: false, probe: BlockProbeResult()), root: directory)
        } else if let device = scanner.probe(name), let root = scanner.mount(device, coldplug: { Coldplug() }) {
            MountedDevice(device: device, root: root)
        } else {
            nil
        }
        if let mount = found {
            let all = (known.filter { $0.device.name != name } + [mount]).sorted { $0.device.name < $1.device.name }
            report.mount = mount
            var grub = GrubOptions()
            grub.platform = grubPlatform
            report.configurations = ConfigLocator.loadConfigurations(from: mount.volume, devices: all.map(\.volume), grub: grub)
            report.fileProblems = report.configurations.map { BootPlan.fileProblems(of: $0, on: mount, mounts: all) }
            report.readWith = Set(all.map(\.device.name))
        }
        report.log = lines
        return report
    }
}

/// What a job found.
struct DeviceReport: Sendable {
    var name: String
    var generation: Int
    /// The filesystem, when there was one to mount and it mounted.
    var mount: MountedDevice?
    var configurations: [BootConfiguration] = []
    /// Per configuration, per entry: what opening the entry's files said (BootPlan.fileProblems).
    var fileProblems: [[String?]] = []
    /// The devices present when the configurations were read.
    var readWith: Set<String> = []
    /// Lines for the log, in order (the job cannot log itself: the log is not thread-safe).
    var log: [String] = []
    var milliseconds = 0
    /// Why the examination gave nothing (the reader crashed, ran out of time…); the device is
    /// then not examined again until a rescan.
    var failure: String?

    init(name: String, generation: Int) {
        self.name = name
        self.generation = generation
    }
}
