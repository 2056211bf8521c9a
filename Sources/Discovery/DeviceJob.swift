// Examining one block device — probe, mark read-only, mount, read its configurations — as one
// job that may run on its own thread: a slow or hung device then holds only its own job.

import BootConfig
import LinuxPlatform

/// What a job needs, copied in, so it shares nothing with the thread that started it.
struct DeviceJob: Sendable {
    var name: String
    /// Tells this job's report from an older one for the same name (a device removed and back).
    var generation: Int
    var mountRoot: String
    var coldplug: Coldplug?
    /// The devices mounted when the job started, for `search` in this device's configurations.
    var known: [MountedDevice]
    var grub: GrubOptions

    func run() -> DeviceReport {
        let started = Processes.monotonicMilliseconds()
        var lines: [String] = []
        var scanner = DeviceScanner(log: { lines.append($0) })
        scanner.mountRoot = mountRoot
        var report = DeviceReport(name: name, generation: generation)
        if let device = scanner.probe(name), let root = scanner.mount(device, coldplug: coldplug) {
            let mount = MountedDevice(device: device, root: root)
            let all = (known.filter { $0.device.name != name } + [mount]).sorted { $0.device.name < $1.device.name }
            report.mount = mount
            report.configurations = ConfigLocator.loadConfigurations(from: mount.grubDevice, devices: all.map(\.grubDevice), grub: grub)
            report.readWith = Set(all.map(\.device.name))
        }
        report.log = lines
        report.milliseconds = Processes.monotonicMilliseconds() - started
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
    /// The devices present when the configurations were read.
    var readWith: Set<String> = []
    /// Lines for the log, in order (the job cannot log itself: the log is not thread-safe).
    var log: [String] = []
    var milliseconds = 0

    init(name: String, generation: Int) {
        self.name = name
        self.generation = generation
    }
}
