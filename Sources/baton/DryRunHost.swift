// `baton menu DIR...` on a developer's machine: the real menu on this terminal, over directories
// seen as disks; choosing an entry prints what would be booted instead of booting it.

import BootMenu
import BootModel
import BootSession
import Discovery
import Grub
import LinuxPlatform
import Terminal

struct DryRunHost: MenuHost {
    let mounts: [MountedDevice]
    let grub: GrubOptions

    var eventDescriptors: [Int32] { [] }

    func handleEvents() -> (sources: [BootSource], mounts: [MountedDevice])? { nil }

    func rescan(log: @escaping (String) -> Void) -> (sources: [BootSource], mounts: [MountedDevice]) {
        (DeviceScanner.sources(on: mounts, grub: grub, log: log), mounts)
    }

    func boot(_ plan: BootPlan, watch: (PlannedFile) -> TransferWatch?, log: (String) -> Void) -> String {
        Console.write("would boot: \(plan.kernel)")
        Console.write("initrds:    \(plan.initrds.map(\.description).joined(separator: " "))")
        Console.write("cmdline:    \(plan.commandLine)")
        Processes.exit(0)
    }

    func reboot(powerOff: Bool) -> String {
        Console.write(powerOff ? "would power off" : "would reboot")
        Processes.exit(0)
    }

    /// Runs the menu on the terminal this process was started from.
    static func runMenu(mounts: [MountedDevice], grub: GrubOptions, options: BatonOptions) -> Never {
        let host = DryRunHost(mounts: mounts, grub: grub)
        let router = LogRouter()
        router.toConsole = false
        let found = host.rescan(log: { _ in })
        let term = Processes.environment("TERM") ?? "vt100"
        var consoles = ConsoleSet()
        let terminal: any ConsoleTerminal = CursesTerminal(term: term, input: 0, output: Console.duplicate(1)) ?? DumbTerminal(input: 0, output: 1)
        consoles.members = [ConsoleSet.Member(name: "terminal", terminal: terminal, kernelArgument: "tty0")]
        var session = MenuSession(
            model: MenuModel(sources: found.sources, mounts: found.mounts, options: options), host: host, consoles: consoles,
            options: options, header: "Baton boot menu \(BatonVersion.string) (dry run)", router: router)
        for source in found.sources {
            for diagnostic in source.configuration.diagnostics { session.log("\(source.label): \(diagnostic)") }
        }
        session.run()
    }
}
