// Running work in a child process with limits: CPU time and address space (setrlimit, through
// prlimit before the child is given its input) and a wall clock. What the child writes to its
// standard output is its answer; a child that traps, is killed, runs out of a limit or stays
// past its time costs only itself. Used for everything that reads a stranger's disk.

internal import CLinux
import Glibc

/// How much a child may take.
public struct ChildLimits: Sendable, Hashable {
    /// CPU seconds (RLIMIT_CPU: SIGXCPU, then SIGKILL a second later).
    public var cpuSeconds: Int
    /// Address space in bytes (RLIMIT_AS: allocations past it fail, and Swift traps).
    public var addressSpaceBytes: Int
    /// Wall-clock time from the start; past it the child is killed.
    public var wallMilliseconds: Int
    /// The most output kept; a child that writes more is killed.
    public var outputBytes: Int

    public init(cpuSeconds: Int, addressSpaceBytes: Int, wallMilliseconds: Int, outputBytes: Int = 64 << 20) {
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.wallMilliseconds = wallMilliseconds
        self.outputBytes = outputBytes
    }
}

/// How a child ended.
public enum ChildOutcome: Sendable, Equatable {
    /// It exited by itself with `status`, having written `output`.
    case exited(status: Int32, output: [UInt8], errors: String)
    /// A signal ended it: a trap (SIGILL, SIGTRAP), an abort, SIGXCPU or SIGKILL at its CPU limit.
    case signaled(Int32, errors: String)
    /// It was still running at its wall-clock limit (or wrote more than it may) and was killed.
    case killedAfter(milliseconds: Int, errors: String)
}

public enum IsolatedChild {
    /// Starts `path` with `arguments` (argv[0] included) and the current environment, gives it
    /// `input` on its standard input, and collects its standard output and the end of its
    /// standard error until it ends or its limits run out. When the child had to be killed and does not die at once (a process in
    /// uninterruptible sleep, waiting on a dead disk, dies only when the I/O ends), the outcome is
    /// returned and `reap` is called with the pid: waiting for it is then the caller's affair.
    public static func run(
        _ path: String, arguments: [String], input: [UInt8], limits: ChildLimits,
        reap: (Glibc.pid_t) -> Void = { waitFor($0) }
    ) throws(SystemError) -> ChildOutcome {
        let start = Processes.monotonicMilliseconds()
        // Writing to a child that died must be an error (EPIPE), not the end of this process.
        signal(SIGPIPE, SIG_IGN)
        let stdin = try Pipe.make(), stdout = try Pipe.make(), stderr = try Pipe.make()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)
        // Every pipe end is close-on-exec: the child keeps only the three it was given.
        var pid: pid_t = 0
        let rc = Processes.withArgv(arguments) { posix_spawn(&pid, path, &actions, nil, $0, environ) }
        close(stdin.read)
        close(stdout.write)
        close(stderr.write)
        guard rc == 0 else {
            close(stdin.write)
            close(stdout.read)
            close(stderr.read)
            throw SystemError("posix_spawn", path, errno: rc)
        }
        // The child blocks reading its input until it has it all: the limits hold before it works.
        _ = clinux_set_limit(pid, Int32(RLIMIT_CPU.rawValue), UInt(limits.cpuSeconds), UInt(limits.cpuSeconds + 1))
        _ = clinux_set_limit(pid, Int32(RLIMIT_AS.rawValue), UInt(limits.addressSpaceBytes), UInt(limits.addressSpaceBytes))
        writeAll(stdin.write, input)
        close(stdin.write)

        var output: [UInt8] = [], errors: [UInt8] = []
        var open: Set<Int32> = [stdout.read, stderr.read]
        var overran = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let left = limits.wallMilliseconds - (Processes.monotonicMilliseconds() - start)
            guard left > 0, output.count <= limits.outputBytes else { overran = true; break }
            for fd in Poll.wait(Array(open), milliseconds: left) {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    open.remove(fd)
                } else if fd == stdout.read {
                    output += buffer[..<n]
                } else {
                    errors += buffer[..<n]
                    if errors.count > 8192 { errors.removeFirst(errors.count - 4096) }
                }
            }
        }
        close(stdout.read)
        close(stderr.read)
        let errorText = String(decoding: errors, as: UTF8.self)
        /// Kills the child: it normally goes at once; one stuck in the kernel goes when its I/O
        /// ends, and is then `reap`'s to wait for.
        func kill() -> ChildOutcome {
            Glibc.kill(pid, SIGKILL)
            var gone = false
            for _ in 0..<20 where !gone {
                gone = waitFor(pid, block: false) != nil
                if !gone { Processes.sleep(milliseconds: 5) }
            }
            if !gone { reap(pid) }
            return .killedAfter(milliseconds: Processes.monotonicMilliseconds() - start, errors: errorText)
        }
        if overran { return kill() }
        // Both pipes closed: the child is ending or has ended (or handed them on, which Baton's
        // own child does not do); its wall-clock limit still holds.
        while Processes.monotonicMilliseconds() - start <= limits.wallMilliseconds {
            switch waitFor(pid, block: false) {
            case .exited(let status): return .exited(status: status, output: output, errors: errorText)
            case .signaled(let signal): return .signaled(signal, errors: errorText)
            case nil: Processes.sleep(milliseconds: 2)
            }
        }
        return kill()
    }

    /// Waits for one child; nil when it has not ended (without `block`) or is no child of ours.
    @discardableResult
    public static func waitFor(_ pid: Glibc.pid_t, block: Bool = true) -> ChildExit? {
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, block ? 0 : WNOHANG)
            if rc < 0 && errno == EINTR { continue }
            guard rc == pid else { return nil }
            if clinux_wifexited(status) != 0 { return .exited(clinux_wexitstatus(status)) }
            if clinux_wifsignaled(status) != 0 { return .signaled(clinux_wtermsig(status)) }
            if !block { return nil }
        }
    }

    /// Reads all of standard input (a child's side: its request).
    public static func readStandardInput(limit: Int = 64 << 20) -> [UInt8] {
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while input.count < limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            input += buffer[..<n]
        }
        return input
    }

    /// Writes all of `bytes` to standard output (a child's side: its answer).
    public static func writeStandardOutput(_ bytes: [UInt8]) { writeAll(1, bytes) }

    /// Writes a message to standard error (a child's side: why it gave no answer).
    public static func writeStandardError(_ text: String) { writeAll(2, Array(text.utf8)) }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }  // EPIPE: the child is gone; its outcome says why
            offset += n
        }
    }
}

/// A pipe whose two ends are closed on exec.
struct Pipe {
    var read: Int32
    var write: Int32

    static func make() throws(SystemError) -> Pipe {
        var fds: [Int32] = [0, 0]
        guard clinux_pipe_cloexec(&fds) == 0 else { throw SystemError("pipe2", errno: errno) }
        return Pipe(read: fds[0], write: fds[1])
    }
}
