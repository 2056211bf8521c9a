// One run of the menu: its state, its consoles, and what its actions do to the host — the real
// machine under PID 1, or a dry run on a developer's machine.

import BootModel
import BootMenu
import Discovery
import LinuxPlatform
import Terminal

/// What the menu does outside itself.
package protocol MenuHost {
    /// Descriptors that become readable when devices come, go or answer late (none: no such events).
    var eventDescriptors: [Int32] { get }
    /// Handles what arrived on `eventDescriptors`; the new sources when they changed.
    func handleEvents() -> (sources: [BootSource], mounts: [MountedDevice])?
    /// Finds the boot sources again.
    func rescan(log: @escaping (String) -> Void) -> (sources: [BootSource], mounts: [MountedDevice])
    /// Boots the plan; returns only on failure, with the message to show. A file fetched over
    /// the network reports to the watch `watch` gives for it.
    func boot(_ plan: BootPlan, watch: (PlannedFile) -> TransferWatch?, log: (String) -> Void) -> String
    /// Reboots or powers off; returns only on failure.
    func reboot(powerOff: Bool) -> String
}

/// One run of the menu: its state, its consoles, and what its actions do.
package struct MenuSession {
    package var model: MenuModel
    package let host: any MenuHost
    package let consoles: ConsoleSet
    package let options: BatonOptions
    package let header: String
    package let router: LogRouter
    package var state: MenuState
    /// Whether the menu was drawn once (the `menu` stage mark).
    package var drawn = false

    package init(model: MenuModel, host: any MenuHost, consoles: ConsoleSet, options: BatonOptions, header: String, router: LogRouter) {
        self.model = model
        self.router = router
        self.host = host
        self.consoles = consoles
        self.options = options
        self.header = header
        state = MenuState(
            items: model.items(consoleRule: consoles.rule), defaultIndex: model.defaultIndex, timeout: model.timeout,
            style: model.style, consoles: consoles.names)
    }

    package mutating func log(_ line: String) {
        router.log(line)
        drainLog()
    }

    /// Moves lines logged elsewhere (discovery, hotplug) into the menu's log view.
    package mutating func drainLog() {
        for line in router.take() { _ = state.handle(.log(line)) }
    }

    package mutating func drawAll() {
        for (index, member) in consoles.members.enumerated() {
            let size = member.terminal.size
            member.terminal.draw(MenuLayout.render(state, console: index, header: header, rows: size.rows, columns: size.columns))
        }
        if !drawn {
            drawn = true
            StageLog.mark("menu", printing: options.stages)
        }
    }

    package mutating func run() -> Never {
        drainLog()
        var pending = state.start()
        var nextTick = Processes.monotonicMilliseconds() + 1000
        let descriptors = consoles.members.map(\.terminal.inputDescriptor) + host.eventDescriptors
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
            if host.eventDescriptors.contains(where: ready.contains) {
                if let found = host.handleEvents() {
                    replaceModel(sources: found.sources, mounts: found.mounts)
                    pending += state.handle(.itemsChanged(model.items(consoleRule: consoles.rule), defaultIndex: model.defaultIndex, timeout: model.timeout))
                }
                drainLog()
            }
            // Every console is asked, not only those poll() named: a resize (SIGWINCH) interrupts
            // poll() with no input, and ncurses reports it as a key.
            var resized = false
            for (index, member) in consoles.members.enumerated() where ready.contains(member.terminal.inputDescriptor) || ready.isEmpty {
                while let key = member.terminal.readKey(milliseconds: 0) {
                    pending += state.handle(.key(key, console: index))
                }
                if member.terminal.takeResize() { resized = true }
            }
            if resized { pending.append(.repaint) }
        }
    }

    /// Does what an action asks; returns the actions that follow from it.
    package mutating func perform(_ action: MenuAction) -> [MenuAction] {
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
            return state.handle(.itemsChanged(model.items(consoleRule: consoles.rule), defaultIndex: model.defaultIndex, timeout: model.timeout))
        case .reboot, .powerOff:
            for member in consoles.members { member.terminal.suspend() }
            return state.handle(.bootFailed(message: host.reboot(powerOff: action == .powerOff)))
        }
    }

    package mutating func rescan() {
        let found = host.rescan(log: router.log)
        drainLog()
        replaceModel(sources: found.sources, mounts: found.mounts)
    }

    /// New sources: the menu's entries change, the countdown (already running or stopped) does
    /// not restart, and the default stays the entry it was while its source is there.
    package mutating func replaceModel(sources: [BootSource], mounts: [MountedDevice]) {
        model = MenuModel(sources: sources, mounts: mounts, options: options, keeping: model.decidingSource)
    }

    /// Loads and executes the request; returns only on failure, with the message to show.
    package mutating func boot(_ request: BootRequest) -> String {
        let targetConsoles = consoles.consolesForTarget(typedOn: request.console)
        switch model.plan(request, consoles: targetConsoles) {
        case .failure(let error):
            log("cannot boot: \(error)")
            return error.message
        case .success(let plan):
            log("kexec \(plan.kernel) initrd \(plan.initrds) cmdline \(plan.commandLine)")
            for member in consoles.members { member.terminal.suspend() }
            let progress = TransferProgressLine(consoles: consoles.members.map(\.terminal))
            let message = host.boot(plan, watch: progress.watch(for:), log: router.log)
            progress.finish()
            drainLog()
            return message
        }
    }
}
