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
            model: MenuModel(sources: discovered.sources, mounts: discovered.mounts, options: options), scanner: discovered.scanner,
            consoles: consoles, options: options, header: header())
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

/// One run of the menu: its state, its consoles, and what its actions do.
struct MenuSession {
    var model: MenuModel
    let scanner: DeviceScanner
    let consoles: ConsoleSet
    let options: BatonOptions
    let header: String
    var state: MenuState

    init(model: MenuModel, scanner: DeviceScanner, consoles: ConsoleSet, options: BatonOptions, header: String) {
        self.model = model
        self.scanner = scanner
        self.consoles = consoles
        self.options = options
        self.header = header
        state = MenuState(
            items: model.items(consoleRule: consoles.rule), defaultIndex: model.defaultIndex, timeout: model.timeout,
            style: model.style, consoles: consoles.names)
    }

    mutating func log(_ line: String) {
        Console.kernelLog(line)
        _ = state.handle(.log(line))
    }

    func drawAll() {
        for (index, member) in consoles.members.enumerated() {
            let size = member.terminal.size
            member.terminal.draw(MenuLayout.render(state, console: index, header: header, rows: size.rows, columns: size.columns))
        }
    }

    mutating func run() -> Never {
        var pending = state.start()
        var nextTick = Processes.monotonicMilliseconds() + 1000
        let descriptors = consoles.members.map(\.terminal.inputDescriptor)
        while true {
            while !pending.isEmpty {
                let action = pending.removeFirst()
                pending += perform(action)
            }
            let now = Processes.monotonicMilliseconds()
            if now >= nextTick {
                nextTick += 1000
                pending = state.handle(.tick)
                continue
            }
            let ready = Poll.wait(descriptors, milliseconds: nextTick - now)
            for (index, member) in consoles.members.enumerated() where ready.contains(member.terminal.inputDescriptor) {
                while let key = member.terminal.readKey(milliseconds: 0) {
                    pending += state.handle(.key(key, console: index))
                }
            }
        }
    }

    /// Does what an action asks; returns the actions that follow from it.
    mutating func perform(_ action: MenuAction) -> [MenuAction] {
        switch action {
        case .redraw:
            drawAll()
            return []
        case .repaint:
            for member in consoles.members { member.terminal.invalidate() }
            drawAll()
            return []
        case .boot(let request):
            drawAll()
            let message = boot(request)
            return state.handle(.bootFailed(message: message))
        case .rescan:
            rescan()
            return state.handle(.itemsChanged(model.items(consoleRule: consoles.rule), defaultIndex: model.defaultIndex))
        case .reboot, .powerOff:
            for member in consoles.members { member.terminal.suspend() }
            scanner.unmountAll()
            if action == .reboot { Processes.restart() } else { Processes.powerOff() }
            return state.handle(.bootFailed(message: "the kernel refused to \(action == .reboot ? "reboot" : "power off")"))
        }
    }

    mutating func rescan() {
        var lines: [String] = []
        let found = Discovery(log: { lines.append($0) }).run()
        for line in lines { log(line) }
        model = MenuModel(sources: found.sources, mounts: found.mounts, options: BatonOptions(timeout: nil, debug: options.debug))
    }

    /// Loads and executes the request; returns only on failure, with the message to show.
    mutating func boot(_ request: BootRequest) -> String {
        let targetConsoles = consoles.consolesForTarget(typedOn: request.console)
        switch model.plan(request, consoles: targetConsoles) {
        case .failure(let error):
            log("cannot boot: \(error)")
            return error.message
        case .success(let plan):
            log("kexec \(plan.kernel) initrd \(plan.initrds) cmdline \(plan.commandLine)")
            do {
                try Kexec.load(kernel: plan.kernel, initrds: plan.initrds, commandLine: plan.commandLine)
            } catch {
                log("\(error)")
                return "\(error)"
            }
            for member in consoles.members { member.terminal.suspend() }
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
    }
}
