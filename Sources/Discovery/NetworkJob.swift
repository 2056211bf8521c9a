// Network boot in the worker: what the kernel command line asks (`baton.net=off|dhcp`,
// `baton.netdev=NAME`, `baton.url=URL`), and one job per Ethernet interface, on its own thread
// and in its own child process — link, DHCP, what the boot file leads to — that reports a boot
// source or why there is none. Jobs never hold the menu:
// their entries appear when they answer, and every step has its own bound.

import BootModel
import LinuxPlatform
import Network
import Synchronization

public struct NetworkSettings: Sendable, Equatable {
    public enum Mode: Sendable, Equatable, CustomStringConvertible {
        case off, dhcp
        /// A fixed IPv4 address, prefix length and router: no DHCP (a boot needs `baton.url=`).
        case fixed(address: IPv4Address, prefixLength: Int, router: IPv4Address?)

        /// `off`, `dhcp`, or `ADDRESS/PREFIX[,ROUTER]` (`192.0.2.50/24,192.0.2.1`).
        public init?(_ text: String) {
            switch text {
            case "off": self = .off
            case "dhcp": self = .dhcp
            default:
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                let address = parts[0].split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count <= 2, address.count == 2, let ip = IPv4Address(address[0]),
                      let length = Int(address[1]), (1...32).contains(length) else { return nil }
                var router: IPv4Address?
                if parts.count == 2 {
                    guard let given = IPv4Address(parts[1]) else { return nil }
                    router = given
                }
                self = .fixed(address: ip, prefixLength: length, router: router)
            }
        }

        public var description: String {
            switch self {
            case .off: "off"
            case .dhcp: "dhcp"
            case .fixed(let address, let length, let router): "\(address)/\(length)" + (router.map { ",\($0)" } ?? "")
            }
        }
    }

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

    /// `baton.net=off|dhcp|ADDRESS/PREFIX[,ROUTER]` (default dhcp) and `baton.netdev=NAME`; an
    /// unknown mode is reported and off.
    public init(commandLine: KernelCommandLine, log: (String) -> Void = { _ in }) {
        if let value = commandLine.value(of: "baton.net") {
            if let mode = Mode(value) {
                self.mode = mode
            } else {
                log("baton.net=\(value): not off, dhcp or ADDRESS/PREFIX[,ROUTER]; no network boot")
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

/// How much one interface's network job may take: carrier and DHCP within their bounds, then
/// the configuration lookup (a silent server costs one transfer's retries, about 23 s).
public enum NetworkJobLimits {
    public static func limits(for settings: NetworkSettings) -> ChildLimits {
        ChildLimits(cpuSeconds: 20, addressSpaceBytes: 1 << 30,
                    wallMilliseconds: Int((settings.carrierWait + settings.dhcpTimeout) * 1000) + 60_000)
    }
}

/// One interface's network boot — link, DHCP, what the boot file leads to — run in a child
/// process of its own (Baton's binary in its `examine-network` mode) with limits, as a disk's
/// examination is: the server's files meet the readers only there. What it found comes back as
/// data; the worker rebuilds the source around the server it names.
struct NetworkJob: Sendable {
    let interface: NetworkInterface
    let settings: NetworkSettings
    var executable = "/proc/self/exe"

    /// The command-line word that starts Baton's binary as a network job's child.
    static let argument = "examine-network"

    func run() -> NetworkReport {
        var wire = WireWriter()
        NetworkJobRequest(interface: interface.name, settings: settings).write(to: &wire)
        let limits = NetworkJobLimits.limits(for: settings)
        let outcome: ChildOutcome
        do {
            outcome = try IsolatedChild.run(
                executable, arguments: ["baton", Self.argument], input: wire.bytes, limits: limits,
                reap: { pid in try? BackgroundThread.start { IsolatedChild.waitFor(pid) } })
        } catch {
            return NetworkReport(interface: interface.name, source: nil, log: ["\(interface.name): its network job could not be started: \(error)"])
        }
        var why: String
        switch outcome {
        case .exited(0, let output, let errors):
            var reader = WireReader(output)
            if let answer = try? NetworkJobAnswer(from: &reader), reader.isAtEnd, answer.interface == interface.name {
                for mark in answer.marks { StageLog.mark(mark.name, interface.name, at: mark.nanoseconds, printing: settings.stages) }
                return NetworkReport(interface: interface.name, source: answer.source, log: answer.log)
            }
            why = "its answer was unreadable\(Examination.lastLine(errors))"
        case .exited(let status, _, let errors):
            why = "it exited with status \(status)\(Examination.lastLine(errors))"
        case .signaled(let signal, let errors):
            why = (Processes.isCPULimit(signal) ? "it ran out of CPU time" : "it crashed: \(Processes.signalName(signal))") + Examination.lastLine(errors)
        case .killedAfter(_, let errors):
            why = "it ran past \(limits.wallMilliseconds / 1000) s\(Examination.lastLine(errors))"
        }
        return NetworkReport(interface: interface.name, source: nil, log: ["\(interface.name): network boot gave nothing (\(why))"])
    }

    /// The child's main: returns its exit status.
    static func childMain() -> Int32 {
        var reader = WireReader(IsolatedChild.readStandardInput())
        guard let request = try? NetworkJobRequest(from: &reader) else {
            IsolatedChild.writeStandardError("baton examine-network: unreadable request\n")
            return 2
        }
        var answer = NetworkJobAnswer(interface: request.interface)
        if let interface = NetworkInterfaces.named(request.interface) {
            answer = NetworkJob(interface: interface, settings: request.settings).examineHere()
        } else {
            answer.log = ["\(request.interface): gone before its network job started"]
        }
        var wire = WireWriter()
        answer.write(to: &wire)
        IsolatedChild.writeStandardOutput(wire.bytes)
        return 0
    }

    /// The job itself, as the child runs it: link and carrier, then DHCPv4 and DHCPv6 side by
    /// side (or the fixed address `baton.net` gives); the first to lead to entries wins.
    func examineHere() -> NetworkJobAnswer {
        let lines = Mutex<[String]>([])
        let log: @Sendable (String) -> Void = { line in lines.withLock { $0.append(line) } }
        let marks = Mutex<[NetworkJobAnswer.Mark]>([])
        let mark: @Sendable (String) -> Void = { name in marks.withLock { $0.append(.init(name: name, nanoseconds: Processes.monotonicNanoseconds())) } }
        var answer = examine(log: log, mark: mark)
        answer.log = lines.withLock { $0 }
        answer.marks = marks.withLock { $0 }
        return answer
    }

    /// What the job finds (the server and configuration), telling `log` and `mark` as it goes.
    private func examine(log: @escaping @Sendable (String) -> Void, mark: @escaping @Sendable (String) -> Void) -> NetworkJobAnswer {
        var answer = NetworkJobAnswer(interface: interface.name)
        if case .failure(let error) = NetworkSource.linkUp(interface, carrierWait: settings.carrierWait) {
            log(error.description)
            return answer
        }
        // Each way to an address's outcome: whether it is done, and the server and configuration it found.
        typealias Outcome = (done: Bool, server: String?, configuration: BootConfiguration?)
        let interface = interface, settings = settings
        let families: [@Sendable () -> (source: MountedDevice, configuration: BootConfiguration)?]
        if case .fixed(let address, let length, let router) = settings.mode {
            // No DHCP: the address as given, then what `baton.url=` names.
            families = [{
                var lease = DHCPv4Lease(address: address, subnetMask: IPv4Address.mask(length))
                lease.routers = router.map { [$0] } ?? []
                do { try RouteSocket().configure(interface, address: address, prefixLength: length, router: router) } catch {
                    log("\(interface.name): \(error)")
                    return nil
                }
                log("\(interface.name): \(address)/\(length) as baton.net gives it" + (router.map { ", router \($0)" } ?? ""))
                guard let url = settings.url else {
                    log("\(interface.name): a fixed address leads nowhere without baton.url=")
                    return nil
                }
                return NetworkSource.bootSource(NetworkLease(interface: interface, lease: lease), url: url, log: log)
            }]
        } else {
            families = [
                {
                    let routes: RouteSocket
                    do { routes = try RouteSocket() } catch {
                        log("\(interface.name): \(error)")
                        return nil
                    }
                    switch NetworkSource.dhcp(interface, routes: routes, dhcpTimeout: settings.dhcpTimeout, log: log) {
                    case .success(let network):
                        mark("net-lease")
                        return NetworkSource.bootSource(network, url: settings.url, log: log)
                    case .failure(let error):
                        log(error.description)
                        return nil
                    }
                },
                {
                    switch NetworkSource.dhcp6(interface, dhcpTimeout: settings.dhcpTimeout, log: log) {
                    case .success(let lease):
                        mark("net-lease6")
                        return NetworkSource.bootSource(lease, interface: interface, url: settings.url, log: log)
                    case .failure(let error):
                        log(error.description)
                        return nil
                    }
                },
            ]
        }
        let outcomes = Mutex<[Outcome]>(families.map { _ in (false, nil, nil) })
        for (index, family) in families.enumerated() {
            do {
                try BackgroundThread.start {
                    let found = family()
                    let server = (found?.source.imageFiles as? NetworkFileView)?.server.description
                    outcomes.withLock { $0[index] = (true, server, found?.configuration) }
                }
            } catch {
                log("\(interface.name): \(error)")
                outcomes.withLock { $0[index].done = true }
            }
        }
        // The first to find entries wins (IPv4 when both have); one that found none waits for the other.
        while true {
            let now = outcomes.withLock { $0 }
            if let winner = now.first(where: { $0.done && $0.configuration != nil }) {
                (answer.server, answer.configuration) = (winner.server, winner.configuration)
                break
            }
            if now.allSatisfy(\.done) { break }
            Processes.sleep(milliseconds: 50)
        }
        if let configuration = answer.configuration {
            mark("net-entries")
            let name = answer.server.map { String($0.dropLast()) } ?? interface.name
            log("\(name): \(configuration.path), \(configuration.entries.count) entries")
            for diagnostic in configuration.diagnostics.prefix(DeviceScanner.diagnosticsLogged) { log("\(name): \(diagnostic)") }
        }
        return answer
    }
}

/// What the worker asks of a network job's child.
struct NetworkJobRequest: WireCodable {
    var interface: String
    var settings: NetworkSettings

    init(interface: String, settings: NetworkSettings) {
        self.interface = interface
        self.settings = settings
    }

    func write(to wire: inout WireWriter) {
        wire.write(interface)
        wire.write(settings.mode.description)
        wire.write(Int(settings.carrierWait * 1000))
        wire.write(Int(settings.dhcpTimeout * 1000))
        wire.write(settings.url?.description)
    }

    init(from wire: inout WireReader) throws(WireError) {
        interface = try wire.readString()
        settings = NetworkSettings()
        let mode = try wire.readString()
        guard let parsed = NetworkSettings.Mode(mode) else { throw WireError("network mode '\(mode)'") }
        settings.mode = parsed
        settings.carrierWait = Double(try wire.readInt()) / 1000
        settings.dhcpTimeout = Double(try wire.readInt()) / 1000
        if let url = try wire.readOptionalString() {
            do { settings.url = try NetworkURL(url) } catch { throw WireError("a request's URL: \(error)") }
        }
    }
}

/// What a network job's child found: the server its files come from and the configuration read
/// there, the log, and when its stages were reached.
struct NetworkJobAnswer: WireCodable {
    struct Mark: Sendable {
        var name: String
        var nanoseconds: Int
    }

    var interface: String
    /// The server's root URL (`tftp://192.0.2.1/`), when a configuration was found.
    var server: String?
    var configuration: BootConfiguration?
    var log: [String] = []
    var marks: [Mark] = []

    init(interface: String) { self.interface = interface }

    /// The boot source the worker shows: the configuration on the server, read again from there at boot.
    var source: BootSource? {
        guard let server, let configuration, let url = try? NetworkURL(server) else { return nil }
        return BootSource(mount: NetworkSource.mount(NetworkFileView(server: url)), configuration: configuration)
    }

    func write(to wire: inout WireWriter) {
        wire.write(interface)
        wire.write(server)
        wire.write(configuration)
        wire.write(log)
        wire.write(marks.map(\.name))
        wire.write(marks.count)
        for mark in marks { wire.write(mark.nanoseconds) }
    }

    init(from wire: inout WireReader) throws(WireError) {
        interface = try wire.readString()
        server = try wire.readOptionalString()
        configuration = try wire.readOptional()
        log = try wire.readStrings()
        let names = try wire.readStrings()
        guard try wire.readInt() == names.count else { throw WireError("stage marks do not match their names") }
        for name in names { marks.append(Mark(name: name, nanoseconds: try wire.readInt())) }
    }
}
