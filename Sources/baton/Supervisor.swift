// PID 1: mounts the kernel's filesystems, then runs the menu worker and restarts it if it dies,
// reaping every child. It never exits: PID 1 exiting panics the kernel.

import BootModel
import BootSession
import LinuxPlatform

enum Supervisor {
    static func run() -> Never {
        Processes.ignoreBrokenPipesAndInterrupts()
        let started = Processes.monotonicNanoseconds()
        for error in Mounts.mountKernelFilesystems() { Console.write("baton: \(error)") }
        Processes.setEnvironment("PATH", "/sbin:/bin")
        if Processes.environment("TERMINFO") == nil { Processes.setEnvironment("TERMINFO", "/usr/share/terminfo") }
        let commandLine = KernelCommandLine(FileSystem.text("/proc/cmdline") ?? "")
        let options = BatonOptions(commandLine: commandLine)
        // Kernel messages would scribble over the menu; the worker restores the level before kexec.
        let consoleLogLevel = Console.kernelMessageLevel()
        if !options.debug { Console.setKernelMessageLevel(1) }
        StageLog.mark("init", at: started, printing: options.stages)
        if Processes.earlyInitStatus & 3 != 3 { Console.write("baton: early mounts incomplete (status \(Processes.earlyInitStatus))") }

        var failures = 0
        var run = 0
        while true {
            // A worker that keeps failing is started in safe mode (plain text, no ncurses); one
            // that fails even so leaves the choice to reboot or power off — never a dead machine.
            if failures >= lastResortAfter { lastResort(failures: failures) }
            let safe = failures >= safeModeAfter
            run += 1
            let settings = WorkerSettings(run: run, safeMode: safe, consoleLogLevel: consoleLogLevel)
            let started = Processes.monotonicMilliseconds()
            do {
                let worker = try Processes.spawn("/proc/self/exe", arguments: settings.arguments)
                while let (pid, exit) = Processes.waitAny() {
                    if pid == worker {
                        let message = "menu worker \(exit); restarting\(failures + 1 >= safeModeAfter ? " in safe mode" : "")"
                        Console.write("\r\nbaton: " + message)
                        Console.kernelLog(message)
                        break
                    }
                }
            } catch {
                Console.write("baton: \(error)")
                Console.kernelLog("\(error)")
            }
            // A worker that ran a while before it ended counts as a fresh start.
            failures = Processes.monotonicMilliseconds() - started < 60_000 ? failures + 1 : 1
            Processes.sleep(milliseconds: min(5000, 250 * (1 << min(failures, 5))))
        }
    }

    /// Consecutive failures of the worker before safe mode, and before the last resort.
    static let safeModeAfter = 3
    static let lastResortAfter = 6

    /// When even the safe menu keeps failing: ask on the console whether to reboot, power off
    /// or try the menu again. Waits as long as it takes; reaps children meanwhile.
    static func lastResort(failures: Int) -> Never {
        Console.kernelLog("menu worker failed \(failures) times")
        while true {
            Console.write("\r\nbaton: the boot menu failed \(failures) times. Press r to reboot, p to power off, m to try the menu again.")
            while Processes.waitAny(block: false) != nil {}
            guard let byte = Console.readByte(fd: 0, milliseconds: 60_000) else { continue }
            switch byte {
            case UInt8(ascii: "r"), UInt8(ascii: "R"): Processes.reboot()
            case UInt8(ascii: "p"), UInt8(ascii: "P"): Processes.powerOff()
            case UInt8(ascii: "m"), UInt8(ascii: "M"): run()
            default: continue
            }
        }
    }
}
