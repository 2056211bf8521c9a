// The menu worker, started by PID 1: discovers boot sources, shows the menu on every console,
// and kexecs the chosen entry. If it dies, PID 1 starts it again.

import BootConfig
import BootMenu
import Discovery
import Glibc
import LinuxPlatform
import Terminal

enum MenuWorker {
    static let argument = "worker"

    static func run() -> Never {
        let commandLine = KernelCommandLine(FileSystem.text("/proc/cmdline") ?? "")
        let options = BatonOptions(commandLine: commandLine)
        let started = Processes.monotonicMilliseconds()
        var earlyLog: [String] = []
        let discovered = Discovery(log: { line in
            Console.write("baton: " + line)
            Console.kernelLog(line)
        }).run()
        let consoles = ConsoleSet.open(commandLine: commandLine) { earlyLog.append($0) }
        var session = MenuSession(
            model: MenuModel(sources: discovered.sources, mounts: discovered.mounts, options: options),
            host: MachineHost(scanner: discovered.scanner), consoles: consoles, options: options, header: header())
        for line in earlyLog { session.log(line) }
        session.log("\(session.model.choices.count) entries after \(Processes.monotonicMilliseconds() - started) ms; consoles \(consoles.names.joined(separator: " "))")
        session.run()
    }

    /// "Baton on <machine>", from DMI where the firmware provides it.
    static func header() -> String {
        let product = FileSystem.text("/sys/class/dmi/id/product_name").map { $0.split(separator: "\n").first.map(String.init) ?? "" } ?? ""
        return product.isEmpty ? "Baton boot menu" : "Baton boot menu on \(product)"
    }
}

/// The real machine: rescans hardware, kexecs, reboots.
struct MachineHost: MenuHost {
    let scanner: DeviceScanner

    func rescan(log: @escaping (String) -> Void) -> (sources: [BootSource], mounts: [MountedDevice]) {
        let found = Discovery(log: log).run()
        return (found.sources, found.mounts)
    }

    func boot(_ plan: BootPlan, log: (String) -> Void) -> String {
        do {
            try Kexec.load(kernel: plan.kernel, initrds: plan.initrds, commandLine: plan.commandLine)
        } catch {
            log("\(error)")
            return "\(error)"
        }
        Console.write("baton: booting \(plan.kernel) \(plan.commandLine)")
        scanner.unmountAll()
        if let level = Int32(getenv("BATON_CONSOLE_LOGLEVEL").map { String(cString: $0) } ?? "") { Console.setKernelMessageLevel(level) }
        do {
            try Kexec.execute()
        } catch {
            log("\(error)")
            return "\(error)"
        }
        return "reboot returned"
    }

    func reboot(powerOff: Bool) -> String {
        scanner.unmountAll()
        if powerOff { Processes.powerOff() } else { Processes.restart() }
        return "the kernel refused to \(powerOff ? "power off" : "reboot")"
    }
}
