// Network boot in the worker: what the kernel command line asks (`baton.net=off|dhcp`,
// `baton.netdev=NAME`, `baton.url=URL`), and one job per Ethernet interface, on its own thread —
// link, DHCP, what the boot file leads to — that reports a boot source or why there is none. Jobs never hold the menu:
// their entries appear when they answer, and every step has its own bound.

import BootModel
import LinuxPlatform
import Network
import Synchronization

public struct NetworkSettings: Sendable, Equatable {
    public enum Mode: String, Sendable { case off, dhcp }

    public var mode = Mode.dhcp
    /// Only this interface, when set.
    public var interface: String?
    /// `baton.url=`: what to boot from, instead of what the lease's boot file leads to.
    public var url: NetworkURL?
    public var carrierWait = 5.0
    public var dhcpTimeout = 30.0
    /// `baton.stages`: each job prints its stages (`net-lease`, `net-entries`) for the bench.
    public var stages = false

    public init() {}

    /// `baton.net=off|dhcp` (default dhcp) and `baton.netdev=NAME`; an unknown mode is reported and off.
    public init(commandLine: KernelCommandLine, log: (String) -> Void = { _ in }) {
        if let value = commandLine.value(of: "baton.net") {
            if let mode = Mode(rawValue: value) {
                self.mode = mode
            } else {
                log("baton.net=\(value): not off or dhcp; no network boot")
                mode = .off
            }
        }
        interface = commandLine.value(of: "baton.netdev")
        if let text = commandLine.value(of: "baton.url") {
            do { url = try NetworkURL(text) } catch { log("baton.url=\(text): \(error.reason); the lease's boot file is used") }
        }
        stages = commandLine.contains("baton.stages")
    }

    public func wants(_ interface: NetworkInterface) -> Bool {
        mode != .off && interface.isEthernet && (self.interface == nil || self.interface == interface.name)
    }
}

/// What a network job found on one interface.
struct NetworkReport: Sendable {
    var interface: String
    var source: BootSource?
    var log: [String]
}

struct NetworkJob: Sendable {
    let interface: NetworkInterface
    let settings: NetworkSettings

    func run() -> NetworkReport {
        let lines = Mutex<[String]>([])
        let log: @Sendable (String) -> Void = { line in lines.withLock { $0.append(line) } }
        var source: BootSource?
        switch NetworkSource.configure(interface, carrierWait: settings.carrierWait, dhcpTimeout: settings.dhcpTimeout, log: log) {
        case .success(let network):
            StageLog.mark("net-lease", interface.name, printing: settings.stages)
            if let found = NetworkSource.bootSource(network, url: settings.url, log: log) {
                StageLog.mark("net-entries", interface.name, printing: settings.stages)
                source = BootSource(mount: found.source, configuration: found.configuration)
                log("\(found.source.device.name): \(found.configuration.path), \(found.configuration.entries.count) entries")
                for diagnostic in found.configuration.diagnostics.prefix(DeviceScanner.diagnosticsLogged) {
                    log("\(found.source.device.name): \(diagnostic)")
                }
            }
        case .failure(let error):
            log(error.description)
        }
        return NetworkReport(interface: interface.name, source: source, log: lines.withLock { $0 })
    }
}
