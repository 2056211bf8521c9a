// The devices Baton knows and keeps knowing: coldplug modules, then follow the kernel's uevents —
// loading modules for new devices and probing, mounting read-only and parsing each block device
// as it appears — until no event came for a short while; afterwards the same events keep the
// menu current, so disks plugged in later add their entries and removed ones take theirs away.

import Glibc
import LinuxPlatform

public final class DeviceInventory {
    public let scanner: DeviceScanner
    public let log: (String) -> Void
    private var coldplug: Coldplug?
    private let events: UeventSocket?
    /// Every block device seen, with what probing found (nil: nothing to mount, or no medium).
    private var probed: [String: BlockDevice?] = [:]
    public private(set) var mounts: [MountedDevice] = []
    public private(set) var sources: [BootSource] = []
    /// How long no device event may come before start-up stops waiting.
    public var settleMilliseconds = 150
    /// The longest start-up waits for devices in all.
    public var limitMilliseconds = 5000

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
        coldplug = Coldplug()
        if coldplug == nil { log("no module database for kernel \(KernelInfo.release()); loading no modules") }
    }

    /// The descriptor that becomes readable when the kernel reports device events.
    public var eventDescriptor: Int32? { events?.descriptor }

    /// Start-up: load modules for the hardware present until no new devices appear, then find
    /// the boot sources.
    public func start() {
        guard let events else { return startPolling() }
        let start = Processes.monotonicMilliseconds()
        if var plug = coldplug {
            let result = plug.load(aliases: Coldplug.modaliases())
            coldplug = plug
            for error in result.errors { log("\(error)") }
        }
        // Devices that exist already are probed now; those the modules create arrive as events.
        _ = refresh()
        var quietSince = Processes.monotonicMilliseconds()
        while true {
            let now = Processes.monotonicMilliseconds()
            let left = min(settleMilliseconds - (now - quietSince), limitMilliseconds - (now - start))
            guard left > 0 else { break }
            guard Poll.wait([events.descriptor], milliseconds: left).contains(events.descriptor) else { continue }
            if receiveEvents().received { quietSince = Processes.monotonicMilliseconds() }
        }
        log("devices after \(Processes.monotonicMilliseconds() - start) ms: " +
            (mounts.isEmpty ? "none mounted" : mounts.map(\.device.summary).joined(separator: ", ")))
    }

    /// Start-up without a uevent socket: load modules and look at the block devices every 50 ms
    /// until the list stops changing.
    private func startPolling() {
        let start = Processes.monotonicMilliseconds()
        var lastNames: [String] = []
        var stableSince = start
        while true {
            if var plug = coldplug {
                let result = plug.load(aliases: Coldplug.modaliases())
                coldplug = plug
                for error in result.errors { log("\(error)") }
                if !result.loaded.isEmpty { stableSince = Processes.monotonicMilliseconds() }
            }
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
        log("devices: " + (mounts.isEmpty ? "none mounted" : mounts.map(\.device.summary).joined(separator: ", ")))
    }

    /// Reads the pending device events: loads modules for new devices, re-probes changed media.
    /// Returns whether the boot sources changed.
    public func handleEvents() -> Bool {
        receiveEvents().changed
    }

    /// Handles the pending device events: whether there were any, and whether the sources changed.
    private func receiveEvents() -> (received: Bool, changed: Bool) {
        guard let events else { return (false, false) }
        let messages = events.receive()
        var blockChanged = false
        var aliases: [String] = []
        for message in messages {
            guard let event = Uevent.parse(message) else { continue }
            if event.action == "add", let alias = event.modalias { aliases.append(alias) }
            if event.subsystem == "block", let name = event.deviceName {
                blockChanged = true
                if event.action == "change" || event.action == "remove" { forget(name) }
                log("\(name): \(event.action)")
            }
        }
        if !aliases.isEmpty, var plug = coldplug {
            let result = plug.load(aliases: aliases)
            coldplug = plug
            for error in result.errors { log("\(error)") }
            for path in result.loaded { log("loaded \(path)") }
        }
        return (!messages.isEmpty, blockChanged ? refresh() : false)
    }

    /// Looks at every device again, as if none had been seen (the `r` key).
    public func rescanAll() -> Bool {
        for name in probed.keys { forget(name) }
        if var plug = coldplug {
            _ = plug.load(aliases: Coldplug.modaliases())
            coldplug = plug
        }
        return refresh()
    }

    /// Unmounts a device that went away or changed, so it is probed afresh.
    private func forget(_ name: String) {
        probed[name] = nil
        if let index = mounts.firstIndex(where: { $0.device.name == name }) {
            try? Mounts.unmount(mounts[index].root, detach: true)
            mounts.remove(at: index)
        }
    }

    /// Brings the mounts in line with /sys/class/block. Returns whether the sources changed.
    private func refresh() -> Bool {
        let names = DeviceScanner.blockDeviceNames()
        var changed = false
        for name in probed.keys where !names.contains(name) {
            forget(name)
            changed = true
        }
        for name in names where probed[name] == nil {
            let device = scanner.probe(name)
            probed[name] = .some(device)
            guard let device, let root = scanner.mount(device, coldplug: coldplug) else { continue }
            mounts.append(MountedDevice(device: device, root: root))
            changed = true
        }
        mounts.sort { $0.device.name < $1.device.name }
        if changed || sources.isEmpty && !mounts.isEmpty {
            sources = DeviceScanner.sources(on: mounts, log: log)
            return true
        }
        return changed
    }
}
