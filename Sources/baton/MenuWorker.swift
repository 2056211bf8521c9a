// The menu worker, started by PID 1: discovers boot sources, shows the menu on every console,
// and kexecs the chosen entry. If it dies, PID 1 starts it again.

import BootMenu
import BootModel
import BootSession
import Discovery
import LinuxPlatform
import Terminal

enum MenuWorker {
    static func run(_ settings: WorkerSettings) -> Never {
        let commandLine = KernelCommandLine(FileSystem.text("/proc/cmdline") ?? "")
        killLaterIfAsked(commandLine, run: settings.run)
        let options = BatonOptions(commandLine: commandLine)
        let started = Processes.monotonicMilliseconds()
        let router = LogRouter()
        StageLog.mark("worker", printing: options.stages)
        let safe = settings.safeMode
        let sizes = ConsoleSet.askSizes(commandLine: commandLine, plainText: safe)
        let inventory = DeviceInventory(log: router.log)
        inventory.examineTrapTitle = commandLine.value(of: "baton.test-examine-trap")
        inventory.network = NetworkSettings(commandLine: commandLine, log: router.log)
        inventory.start()
        StageLog.mark("devices-ready", "sources=\(inventory.sources.count)", printing: options.stages)
        let model = MenuModel(sources: inventory.sources, mounts: inventory.mounts, options: options)
        if commandLine.contains("baton.list") { printEntries(model) }
        if safe { router.log("safe mode: the menu failed several times; plain text on every console") }
        let consoles = ConsoleSet.open(commandLine: commandLine, plainText: safe, sizes: sizes, log: router.log)
        crashIfAsked(commandLine, run: settings.run)
        // From here on the consoles show the menu: log lines go to its log view instead.
        router.toConsole = false
        var session = MenuSession(
            model: model, host: MachineHost(inventory: inventory, settings: settings, options: options), consoles: consoles, options: options,
            header: header(), router: router)
        session.log("\(session.model.choices.count) entries after \(Processes.monotonicMilliseconds() - started) ms; consoles \(consoles.names.joined(separator: " "))")
        session.run()
    }

    /// `baton.list`: the entries found at start, one JSON object per console line (as
    /// `baton list --json` prints them in host mode), for scripts watching a serial console.
    static func printEntries(_ model: MenuModel) {
        for n in model.choices.indices { Console.write("baton-entry " + EntryReport.jsonEntry(model, n)) }
        Console.write("baton-entries \(model.choices.count)")
    }

    /// `baton.test-crash=N` (for tests of crash recovery): the first N runs of the worker die
    /// with SIGABRT once the consoles are open, as a trap would.
    static func crashIfAsked(_ commandLine: KernelCommandLine, run: Int) {
        guard let limit = commandLine.value(of: "baton.test-crash").flatMap({ Int($0) }), run <= limit else { return }
        Console.kernelLog("baton.test-crash: worker run \(run) aborts")
        Processes.abort()
    }


    /// `baton.test-kill=N` (for tests of crash recovery): the first N runs of the worker are
    /// killed by SIGALRM after 1 to 1500 ms, wherever they are then — finding devices, drawing
    /// the menu, editing. The delay comes from the clock, so each run dies somewhere else.
    static func killLaterIfAsked(_ commandLine: KernelCommandLine, run: Int) {
        guard let limit = commandLine.value(of: "baton.test-kill").flatMap({ Int($0) }), run <= limit else { return }
        let milliseconds = 1 + (Processes.monotonicNanoseconds() / 1000) % 1500
        Console.kernelLog("baton.test-kill: worker run \(run) dies in \(milliseconds) ms")
        Processes.dieBySignal(afterMilliseconds: milliseconds)
    }

    /// "Baton on <machine>", from DMI where the firmware provides it.
    static func header() -> String {
        let product = FileSystem.text("/sys/class/dmi/id/product_name").map { $0.split(separator: "\n").first.map(String.init) ?? "" } ?? ""
        let version = "Baton boot menu \(BatonVersion.string)"
        return product.isEmpty ? version : "\(version) on \(product)"
    }
}

/// The real machine: rescans hardware, kexecs, reboots.
struct MachineHost: MenuHost {
    let inventory: DeviceInventory
    let settings: WorkerSettings
    let options: BatonOptions

    var eventDescriptors: [Int32] { inventory.eventDescriptors }

    func handleEvents() -> (sources: [BootSource], mounts: [MountedDevice])? {
        inventory.handleEvents() ? (inventory.sources, inventory.mounts) : nil
    }

    func rescan(log: @escaping (String) -> Void) -> (sources: [BootSource], mounts: [MountedDevice]) {
        _ = inventory.rescanAll()
        return (inventory.sources, inventory.mounts)
    }

    func boot(_ plan: BootPlan, watch: (PlannedFile) -> TransferWatch?, log: (String) -> Void) -> String {
        do {
            // The kernel and initrds from one server come over one HTTP connection.
            let connections = HTTPConnections()
            let kernel = try plan.kernel.open(watch: watch(plan.kernel), connections: connections)
            var initrds: [FileDescriptor] = []
            for initrd in plan.initrds { initrds.append(try initrd.open(watch: watch(initrd), connections: connections)) }
            StageLog.mark("kexec-load", StageLog.memoryDetail(), printing: options.stages)
            try Kexec.load(kernel: kernel, initrds: initrds, commandLine: plan.commandLine, name: plan.kernel.description)
        } catch {
            let message = Kexec.explain(error)
            log(message)
            return message
        }
        Console.write("baton: booting \(plan.kernel) \(plan.commandLine)")
        inventory.scanner.unmountAll()
        if let level = settings.consoleLogLevel { Console.setKernelMessageLevel(level) }
        StageLog.mark("kexec", printing: options.stages)
        do {
            try Kexec.execute()
        } catch {
            log("\(error)")
            return "\(error)"
        }
        return "reboot returned"
    }

    func reboot(powerOff: Bool) -> String {
        inventory.scanner.unmountAll()
        if powerOff { Processes.powerOff() } else { Processes.reboot() }
        return "the kernel refused to \(powerOff ? "power off" : "reboot")"
    }
}
