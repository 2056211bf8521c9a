// Brings hardware up and finds boot sources: coldplug modules until the device list settles,
// then probe, mount read-only and parse each block device.

import LinuxPlatform

public struct Discovery {
    public var log: (String) -> Void
    /// How long the device list must stay unchanged before discovery stops waiting.
    public var settleMilliseconds = 400
    /// The longest discovery waits for devices in all.
    public var limitMilliseconds = 5000

    public init(log: @escaping (String) -> Void) { self.log = log }

    public func run() -> (mounts: [MountedDevice], sources: [BootSource], scanner: DeviceScanner) {
        var coldplug = Coldplug()
        if coldplug == nil { log("no module database for kernel \(KernelInfo.release()); loading no modules") }
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
        let scanner = DeviceScanner(log: log)
        let devices = lastNames.compactMap { scanner.probe($0) }
        log("devices: " + (devices.isEmpty ? "none" : devices.map(\.summary).joined(separator: ", ")))
        let (mounts, sources) = scanner.scan(devices, coldplug: coldplug)
        return (mounts, sources, scanner)
    }
}
