// What PID 1 tells each menu worker it starts, as one value: which start this is, whether to run
// in safe mode, and the kernel's console log level from before PID 1 quieted it (restored before
// kexec). It crosses the exec as the worker's arguments, written and read only here.

package struct WorkerSettings: Sendable, Hashable {
    /// Which start of the worker this is, 1 for the first (tests crash the first N runs).
    package var run: Int
    /// Plain-text consoles only, after the worker failed several times in a row.
    package var safeMode: Bool
    /// The console log level to restore before kexec; nil when it could not be read.
    package var consoleLogLevel: Int32?

    package init(run: Int, safeMode: Bool = false, consoleLogLevel: Int32? = nil) {
        self.run = run
        self.safeMode = safeMode
        self.consoleLogLevel = consoleLogLevel
    }

    /// The word after the program name that makes Baton's binary a menu worker.
    package static let command = "worker"

    /// The worker's command line: `baton worker --run=N [--safe] [--console-loglevel=L]`.
    package var arguments: [String] {
        ["baton", Self.command, "--run=\(run)"] + (safeMode ? ["--safe"] : []) + (consoleLogLevel.map { ["--console-loglevel=\($0)"] } ?? [])
    }

    /// The settings in a worker's command line (the words after the program name); nil when
    /// they are not a worker's (PID 1 writes them, so anything else is a mistake, not input).
    package init?(arguments: some Collection<String>) {
        guard arguments.first == Self.command else { return nil }
        var run: Int?
        var safe = false
        var level: Int32?
        for word in arguments.dropFirst() {
            if word == "--safe" {
                safe = true
            } else if word.hasPrefix("--run="), let n = Int(word.dropFirst(6)), n > 0 {
                run = n
            } else if word.hasPrefix("--console-loglevel="), let n = Int32(word.dropFirst(19)) {
                level = n
            } else {
                return nil
            }
        }
        guard let run else { return nil }
        self.init(run: run, safeMode: safe, consoleLogLevel: level)
    }
}
