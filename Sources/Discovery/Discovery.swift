// The devices Baton knows and keeps knowing: coldplug modules, then follow the kernel's uevents —
// loading modules for new devices, and examining each block device (probe, mount read-only,
// read its configurations) on its own thread as it appears — until no event came for a short
// while and every device answered or ran out of patience. Afterwards the same events, and the
// reports of devices that answered late, keep the menu current: disks plugged in later add their
// entries, removed ones take theirs away. Network interfaces are sources too: each Ethernet
// interface gets a network job (NetworkJob) whose entries join the menu when it answers.

import BootModel
import LinuxPlatform

public final class DeviceInventory {
    public let scanner: DeviceScanner
    public let log: (String) -> Void
    private var coldplug: Coldplug?
    private let events: UeventSocket?
    /// Where device jobs report; nil when no eventfd could be had (jobs then run in line).
    private let reports: Mailbox<DeviceReport>?
    /// Which device is in which state, and what events and reports mean (DeviceLedger).
    private var ledger = DeviceLedger()
    public private(set) var mounts: [MountedDevice] = []
    /// Each mounted device's configurations, by device name.
    private var found: [String: FoundConfigurations] = [:]
    public private(set) var sources: [BootSource] = []
    /// How long no device event may come before start-up stops waiting.
    public var settleMilliseconds = 150
    /// The longest start-up waits for devices in all.
    public var limitMilliseconds = 5000
    /// How long start-up (or a rescan) waits for any one device; one slower than this shows its
    /// entries when it answers, in the open menu.
    public var patienceMilliseconds = 1500
    /// GRUB's `grub_platform` for every configuration read: "efi" when UEFI started this kernel.
    public let grubPlatform: String
    /// `baton.test-examine-trap=TITLE` (tests of the isolation): examination children trap on
    /// reading an entry of that title.
    public var examineTrapTitle: String?
    /// What network boot the kernel command line asks for.
    public var network = NetworkSettings()
    /// Where network jobs report; nil when no eventfd could be had (no network boot then).
    private let networkReports: Mailbox<NetworkReport>?
    /// Interfaces a network job was started for.
    private var networkStarted: Set<String> = []
    /// Each interface's network source, by interface name.
    private var networkSources: [String: BootSource] = [:]

    struct FoundConfigurations {
        var configurations: [BootConfiguration]
        var fileProblems: [[String?]]
        /// The devices present when they were read.
        var readWith: Set<String>
    }

    public init(log: @escaping (String) -> Void) {
        self.log = log
        scanner = DeviceScanner(log: log)
        // Listen before coldplug, so no device that appears meanwhile is missed.
        do {
            events = try UeventSocket()
        } catch {
            log("\(error); devices plugged in later will need a rescan (r)")
            events = nil
        }
        do {
            reports = try Mailbox<DeviceReport>()
        } catch {
            log("\(error); devices are examined one after another")
            reports = nil
        }
        do {
            networkReports = try Mailbox<NetworkReport>()
        } catch {
            log("\(error); no network boot")
            networkReports = nil
        }
        coldplug = Coldplug()
        if coldplug == nil { log("no module database for kernel \(KernelInfo.release()); loading no modules") }
        grubPlatform = Firmware.grubPlatform
    }

    /// The descriptors that become readable when the kernel reports device events or a device
    /// job finished.
    public var eventDescriptors: [Int32] { [events?.descriptor, reports?.descriptor, networkReports?.descriptor].compactMap { $0 } }

    /// Start-up: load modules for the hardware present until no new devices appear, examine
    /// the block devices, and wait for them (each at most `patienceMilliseconds`).
    public func start() {
        let start = Processes.monotonicMilliseconds()
        if events == nil { return startPolling(start) }
        loadModulesForPresentHardware()
        // Devices that exist already are examined now; those the modules create arrive as events.
        _ = refresh()
        waitForDevices(since: start)
        startNetworkJobs()
        log("devices after \(Processes.monotonicMilliseconds() - start) ms: " +
            (mounts.isEmpty ? "none mounted" : mounts.map(\.device.summary).joined(separator: ", ")))
    }

    /// Start-up without a uevent socket: load modules and look at the block devices every 50 ms
    /// until the list stops changing.
    private func startPolling(_ start: Int) {
        var lastNames: [String] = []
        var stableSince = start
        while true {
            if loadModulesForPresentHardware() { stableSince = Processes.monotonicMilliseconds() }
            let names = DeviceScanner.blockDeviceNames()
            let now = Processes.monotonicMilliseconds()
            if names != lastNames {
                lastNames = names
                stableSince = now
            }
            if now - stableSince >= settleMilliseconds || now - start >= limitMilliseconds { break }
            Processes.sleep(milliseconds: 50)
        }
        _ = refresh()
        waitForDevices(since: start)
        startNetworkJobs()
        log("devices: " + (mounts.isEmpty ? "none mounted" : mounts.map(\.device.summary).joined(separator: ", ")))
    }

    /// Waits until no device event came for `settleMilliseconds` and every device job finished
    /// or ran past `patienceMilliseconds` — at most `limitMilliseconds` after `start`.
    private func waitForDevices(since start: Int) {
        var quietSince = Processes.monotonicMilliseconds()
        while true {
            let now = Processes.monotonicMilliseconds()
            let limitLeft = limitMilliseconds - (now - start)
            let settleLeft = events == nil ? 0 : settleMilliseconds - (now - quietSince)
            // The soonest a job still within its patience runs out of it.
            let patienceLeft = ledger.patienceLeft(now: now, patience: patienceMilliseconds)
            let left = min(max(settleLeft, patienceLeft), limitLeft)
            guard left > 0 else { break }
            let ready = Poll.wait(eventDescriptors, milliseconds: left)
            if let events, ready.contains(events.descriptor), receiveEvents().any {
                quietSince = Processes.monotonicMilliseconds()
            }
            if let reports, ready.contains(reports.descriptor) { _ = collectReports() }
        }
        markLate()
    }

    /// Logs, once each, the devices start-up stops waiting for.
    private func markLate() {
        for (name, milliseconds) in ledger.markLate(now: Processes.monotonicMilliseconds()) {
            log("\(name): no answer after \(milliseconds) ms; the menu does not wait for it, its entries appear when it answers")
        }
    }

    /// Handles pending device events and finished device jobs. Returns whether the boot
    /// sources changed.
    public func handleEvents() -> Bool {
        let forgotten = receiveEvents().sourcesChanged
        return collectReports() || forgotten
    }

    /// Handles the pending device events: loads modules for new devices, starts jobs for new or
    /// changed block devices, forgets removed ones. Says whether there were any events, and
    /// whether the boot sources changed (a device with a filesystem went or changed).
    private func receiveEvents() -> (any: Bool, sourcesChanged: Bool) {
        guard let events else { return (false, false) }
        let messages = events.receive()
        var blockChanged = false
        var sourcesChanged = false
        var aliases: [String] = []
        var interfaceAdded = false
        for message in messages {
            guard let event = Uevent.parse(message) else { continue }
            if event.action == "add", let alias = event.modalias { aliases.append(alias) }
            if event.action == "add", event.subsystem == "net" { interfaceAdded = true }
            if event.subsystem == "block", let name = event.deviceName {
                blockChanged = true
                if ledger.forgets(name, on: event.action), forget(name) { sourcesChanged = true }
                log("\(name): \(event.action)")
            }
        }
        loadModules(for: aliases, logLoaded: true)
        if interfaceAdded { startNetworkJobs() }
        if blockChanged && refresh() { sourcesChanged = true }
        if sourcesChanged { rebuildSources() }
        return (!messages.isEmpty, sourcesChanged)
    }

    /// Loads the modules the devices present ask for. A kernel without a module database (every
    /// driver built in, as the LinuxBoot payload) has nothing to load: sysfs is not even walked.
    @discardableResult
    private func loadModulesForPresentHardware() -> Bool {
        guard coldplug != nil else { return false }
        return loadModules(for: Coldplug.modaliases())
    }

    /// Loads the modules for aliases not seen before. Returns whether any loaded.
    @discardableResult
    private func loadModules(for aliases: some Collection<String>, logLoaded: Bool = false) -> Bool {
        guard !aliases.isEmpty, var plug = coldplug else { return false }
        let result = plug.load(aliases: aliases)
        coldplug = plug
        for error in result.errors { log("\(error)") }
        if logLoaded { for path in result.loaded { log("loaded \(path)") } }
        return !result.loaded.isEmpty
    }

    /// Takes the reports of finished jobs. Returns whether the boot sources changed.
    private func collectReports() -> Bool {
        var changed = false
        for report in reports?.take() ?? [] where accept(report) { changed = true }
        for report in networkReports?.take() ?? [] {
            report.log.forEach(log)
            if let source = report.source {
                networkSources[report.interface] = source
                changed = true
            }
        }
        if changed { rebuildSources() }
        return changed
    }

    /// Starts a network job for each wanted interface that has none yet.
    private func startNetworkJobs() {
        guard network.mode != .off, let networkReports else { return }
        for interface in NetworkInterfaces.list() where network.wants(interface) && !networkStarted.contains(interface.name) {
            networkStarted.insert(interface.name)
            let job = NetworkJob(interface: interface, settings: network)
            log("\(interface.name): network boot (\(network.mode == .dhcp ? "DHCP" : "\(network.mode)"))")
            do {
                try BackgroundThread.start { networkReports.post(job.run()) }
            } catch {
                log("\(interface.name): \(error); no network boot on it")
            }
        }
    }

    /// Records what a job found, unless the device went away or changed meanwhile: then the
    /// job's mount is undone and the device, if still there, examined again. Returns whether a
    /// filesystem was added.
    private func accept(_ report: DeviceReport) -> Bool {
        let late: Bool
        switch ledger.report(report.name, generation: report.generation, failed: report.failure != nil) {
        case .stale:
            return false
        case .outdated:
            if let mount = report.mount { try? Mounts.unmount(mount.root, detach: true) }
            if DeviceScanner.blockDeviceNames().contains(report.name) {
                log("\(report.name): changed while it was examined; examining it again")
                return examine(report.name)
            }
            return false
        case .accepted(let wasLate), .failed(let wasLate):
            late = wasLate
        }
        report.log.forEach(log)
        if late { log("\(report.name): answered after \(report.milliseconds) ms") }
        // A device read again (its configurations consult others) replaces what it had.
        let hadMount = mounts.contains { $0.device.name == report.name }
        mounts.removeAll { $0.device.name == report.name }
        found[report.name] = nil
        guard report.failure == nil, let mount = report.mount else { return hadMount }
        mounts.append(mount)
        mounts.sort { $0.device.name < $1.device.name }
        found[report.name] = FoundConfigurations(configurations: report.configurations, fileProblems: report.fileProblems, readWith: report.readWith)
        DeviceScanner.describe(report.configurations, on: mount.device).forEach(log)
        return true
    }

    /// Reads again the configurations that looked at other devices when those have changed
    /// since, and puts every device's configurations together in device order.
    /// Reading again happens in an examination child, as the first reading did; until it
    /// answers, the device keeps what it had.
    private func rebuildSources() {
        let present = Set(mounts.map(\.device.name))
        for mount in mounts {
            let name = mount.device.name
            guard let previous = found[name], previous.readWith != present,
                  previous.configurations.contains(where: \.consultsOtherDevices),
                  ledger.isExamined(name) else { continue }
            log("\(name): read again, as the devices changed")
            examine(name)
        }
        sources = mounts.flatMap { mount -> [BootSource] in
            guard let found = found[mount.device.name] else { return [] }
            return zip(found.configurations, found.fileProblems).map { BootSource(mount: mount, configuration: $0, fileProblems: $1) }
        } + networkSources.keys.sorted().compactMap { networkSources[$0] }
    }

    /// Looks at every device again, as if none had been seen (the `r` key).
    public func rescanAll() -> Bool {
        for name in ledger.names { forget(name) }
        loadModulesForPresentHardware()
        _ = refresh()
        waitForDevices(since: Processes.monotonicMilliseconds())
        rebuildSources()
        return true
    }

    /// Unmounts a device that went away or changed, so it is examined afresh; a job still
    /// looking at it is marked outdated. Returns whether it was mounted.
    @discardableResult
    private func forget(_ name: String) -> Bool {
        ledger.forget(name)
        found[name] = nil
        guard let index = mounts.firstIndex(where: { $0.device.name == name }) else { return false }
        try? Mounts.unmount(mounts[index].root, detach: true)
        mounts.remove(at: index)
        return true
    }

    /// Brings the device list in line with /sys/class/block: forgets devices gone, starts a job
    /// for each new one. Returns whether a mounted device was forgotten (or, examined in line,
    /// one was added).
    private func refresh() -> Bool {
        let (gone, new) = ledger.reconcile(with: DeviceScanner.blockDeviceNames())
        var changed = false
        for name in gone where forget(name) { changed = true }
        for name in new where examine(name) { changed = true }
        return changed
    }

    /// Starts a job for a device on its own thread (in line if no thread or mailbox can be had).
    /// Returns whether it was examined in line and its filesystem added.
    @discardableResult
    private func examine(_ name: String) -> Bool {
        let generation = ledger.startExamining(name, now: Processes.monotonicMilliseconds())
        let job = DeviceJob(
            name: name, generation: generation, mountRoot: scanner.mountRoot, known: mounts, grubPlatform: grubPlatform,
            trapTitle: examineTrapTitle)
        if let reports {
            do {
                try BackgroundThread.start { reports.post(job.run()) }
                return false
            } catch {
                log("\(name): \(error); examining it in line")
            }
        }
        guard accept(job.run()) else { return false }
        rebuildSources()
        return true
    }
}
