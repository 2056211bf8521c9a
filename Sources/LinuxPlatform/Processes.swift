// Starting the menu worker and reaping children: the supervisor's process primitives.

internal import CLinux
import Glibc

public enum ChildExit: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}

public enum Processes {
    /// Starts `path` with arguments (argv[0] included) and the current environment.
    public static func spawn(_ path: String, arguments: [String]) throws(SystemError) -> Glibc.pid_t {
        var pid: pid_t = 0
        let rc = withArgv(arguments) { posix_spawn(&pid, path, nil, nil, $0, environ) }
        guard rc == 0 else { throw SystemError("posix_spawn", path, errno: rc) }
        return pid
    }

    /// Calls `body` with `arguments` as a NULL-terminated C argument vector.
    static func withArgv<R>(_ arguments: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for p in argv { free(p) } }
        return body(argv)
    }

    /// Waits for any child to change state; returns nil when there are no children.
    public static func waitAny(block: Bool = true) -> (pid: Glibc.pid_t, exit: ChildExit)? {
        var status: Int32 = 0
        while true {
            let pid = waitpid(-1, &status, block ? 0 : WNOHANG)
            if pid < 0 && errno == EINTR { continue }
            guard pid > 0 else { return nil }
            if clinux_wifexited(status) != 0 { return (pid, .exited(clinux_wexitstatus(status))) }
            if clinux_wifsignaled(status) != 0 { return (pid, .signaled(clinux_wtermsig(status))) }
        }
    }

    public static var isInit: Bool { getpid() == 1 }

    /// What the C constructor did before Swift started (see clinux_early_init_status).
    public static var earlyInitStatus: Int32 { clinux_early_init_status() }

    public static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Monotonic time in milliseconds, for countdowns and measurements.
    public static func monotonicMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }

    /// Monotonic time in nanoseconds, for benchmarks.
    public static func monotonicNanoseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    }

    /// Arms a timer whose SIGALRM kills this process wherever it then is (for crash tests).
    public static func dieBySignal(afterMilliseconds milliseconds: Int) {
        signal(SIGALRM, SIG_DFL)
        var timer = itimerval()
        timer.it_value.tv_sec = milliseconds / 1000
        timer.it_value.tv_usec = (milliseconds % 1000) * 1000
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
    }

    /// An environment variable of this process (host-mode settings such as benchmark repetitions).
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Sets (or, with nil, removes) an environment variable that libraries and children read:
    /// ncurses reads TERMINFO, LINES and COLUMNS.
    public static func setEnvironment(_ name: String, _ value: String?) {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }

    /// PID 1's signal dispositions: a closed pipe is an error return, not death, and Ctrl-Alt-Del
    /// (SIGINT, with CAD disabled) is the worker's to act on.
    public static func ignoreBrokenPipesAndInterrupts() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)
    }

    /// Ends this process with `status` (never PID 1: it must not exit).
    public static func exit(_ status: Int32) -> Never { Glibc.exit(status) }

    /// Ends this process by SIGABRT, as a trap would (for crash tests).
    public static func abort() -> Never { Glibc.abort() }

    /// Whether a child killed by `signal` ran out of the CPU time its limits gave it.
    public static func isCPULimit(_ signal: Int32) -> Bool { signal == SIGXCPU || signal == SIGKILL }

    /// A signal's name, said as a crash report says it.
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL, a trap"
        case SIGTRAP: "SIGTRAP, a trap"
        case SIGABRT: "SIGABRT"
        case SIGSEGV: "SIGSEGV"
        case SIGBUS: "SIGBUS"
        default: "signal \(signal)"
        }
    }

    public static func powerOff() { _ = clinux_reboot_power_off() }
    /// Writes back what is cached and reboots the machine.
    public static func reboot() { sync(); _ = clinux_reboot_restart() }
}

public enum KernelInfo {
    /// The running kernel's release, e.g. "6.1.0-13-cloud-amd64" (uname -r).
    public static func release() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
