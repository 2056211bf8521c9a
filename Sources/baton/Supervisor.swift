// PID 1: mounts the kernel's filesystems, then runs the menu worker and restarts it if it dies,
// reaping every child. It never exits: PID 1 exiting panics the kernel.

import BootConfig
import Glibc
import LinuxPlatform

enum Supervisor {
    static func run() -> Never {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)  // Ctrl-Alt-Del with CAD disabled; the worker decides what to do
        mountKernelFilesystems()
        setenv("PATH", "/sbin:/bin", 1)
        if getenv("TERMINFO") == nil { setenv("TERMINFO", "/usr/share/terminfo", 1) }
        let options = BatonOptions(commandLine: KernelCommandLine(FileSystem.text("/proc/cmdline") ?? ""))
        // Kernel messages would scribble over the menu; the worker restores the level before kexec.
        if let level = Console.kernelMessageLevel() { setenv("BATON_CONSOLE_LOGLEVEL", String(level), 1) }
        if !options.debug { Console.setKernelMessageLevel(1) }
        if Processes.earlyInitStatus & 3 != 3 { Console.write("baton: early mounts incomplete (status \(Processes.earlyInitStatus))") }

        var failures = 0
        while true {
            let started = Processes.monotonicMilliseconds()
            do {
                let worker = try Processes.spawn("/proc/self/exe", arguments: ["baton", MenuWorker.argument])
                while let (pid, exit) = Processes.waitAny() {
                    if pid == worker {
                        let message = "menu worker \(exit); restarting"
                        Console.write("baton: " + message)
                        Console.kernelLog(message)
                        break
                    }
                }
            } catch {
                Console.write("baton: \(error)")
                Console.kernelLog("\(error)")
            }
            // A worker that keeps dying early is restarted more slowly, never given up on.
            failures = Processes.monotonicMilliseconds() - started < 10_000 ? failures + 1 : 0
            Processes.sleep(milliseconds: min(5000, 250 * (1 << min(failures, 5))))
        }
    }

    static func mountKernelFilesystems() {
        let mounts: [(String, String, String)] = [
            ("proc", "/proc", ""), ("sysfs", "/sys", ""), ("devtmpfs", "/dev", "mode=0755"), ("tmpfs", "/run", "mode=0755"),
        ]
        for (type, target, options) in mounts {
            do {
                let flags = type == "devtmpfs" ? UInt(MS_NOSUID) : UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)
                try Mounts.mountPseudo(type, on: target, flags: flags, options: options)
            } catch {
                Console.write("baton: \(error)")
            }
        }
    }
}
