// The menu worker, started by PID 1: discovers boot sources, shows the menu on the console,
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
        let log: @Sendable (String) -> Void = { line in
            Console.write("baton: " + line)
            Console.kernelLog(line)
        }
        let options = BatonOptions(commandLine: KernelCommandLine(FileSystem.text("/proc/cmdline") ?? ""))
        let started = Processes.monotonicMilliseconds()
        let (sources, scanner) = Discovery(log: log).run()
        let model = MenuModel(sources: sources, options: options)
        let console = Console.active().last.map { Console.kernelArgument(for: $0, fd: 0) }
        log("\(model.choices.count) entries after \(Processes.monotonicMilliseconds() - started) ms; console \(console ?? "unknown")")
        for source in sources {
            for diagnostic in source.configuration.diagnostics { log("\(source.label): \(diagnostic)") }
        }

        var state = MenuState(items: model.items(console: console), defaultIndex: model.defaultIndex, timeout: model.timeout)
        let term = getenv("TERM").map { String(cString: $0) } ?? "linux"
        guard let terminal = CursesTerminal(term: term, input: 0, output: 1) ?? CursesTerminal(term: "vt100", input: 0, output: 1) else {
            log("no terminfo for \(term) or vt100; booting the default entry")
            boot(model.defaultIndex, model: model, console: console, scanner: scanner, log: log)
            Processes.sleep(milliseconds: 5000)
            exit(1)
        }

        var actions = state.start()
        var nextTick = Processes.monotonicMilliseconds() + 1000
        while true {
            for action in actions {
                switch action {
                case .redraw:
                    let size = terminal.size
                    terminal.draw(MenuLayout.render(state, rows: size.rows, columns: size.columns))
                case .boot(let index):
                    terminal.suspend()
                    let error = boot(index, model: model, console: console, scanner: scanner, log: log)
                    actions = state.handle(.bootFailed(index: index, message: error))
                    let size = terminal.size
                    terminal.draw(MenuLayout.render(state, rows: size.rows, columns: size.columns))
                }
            }
            actions = []
            let now = Processes.monotonicMilliseconds()
            if now >= nextTick {
                nextTick += 1000
                actions = state.handle(.tick)
                continue
            }
            if let key = terminal.readKey(milliseconds: nextTick - now) {
                actions = state.handle(.key(key))
            }
        }
    }

    /// Loads and executes the entry; returns only on failure, with the message to show.
    @discardableResult
    static func boot(_ index: Int, model: MenuModel, console: String?, scanner: DeviceScanner, log: (String) -> Void) -> String {
        switch model.plan(index, console: console) {
        case .failure(let error):
            log("cannot boot entry \(index): \(error)")
            return error.message
        case .success(let plan):
            log("kexec \(plan.kernel) initrd \(plan.initrds) cmdline \(plan.commandLine)")
            do {
                try Kexec.load(kernel: plan.kernel, initrds: plan.initrds, commandLine: plan.commandLine)
                scanner.unmountAll()
                try Kexec.execute()
                return "reboot returned"
            } catch {
                log("\(error)")
                return "\(error)"
            }
        }
    }
}
