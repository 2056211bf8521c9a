// Boot stage marks for benchmarks: each stage is logged to the kernel log with the monotonic
// clock (seconds since the kernel started), and when asked (`baton.stages` on the kernel command
// line) also printed on the console as `baton-stage NAME SECONDS`, where scripts/bench reads it.

import Glibc

package enum StageLog {
    /// Logs stage `name` as reached now, or at `nanoseconds` on the monotonic clock; `printing`
    /// also writes it on the console.
    package static func mark(_ name: String, _ detail: String = "", at nanoseconds: Int = Processes.monotonicNanoseconds(), printing: Bool) {
        let seconds = Double(nanoseconds) / 1e9
        let line = "stage \(name) \(String(decimal: seconds, places: 6))\(detail.isEmpty ? "" : " " + detail)"
        Console.kernelLog(line)
        if printing { Console.write("\r\nbaton-" + line) }
    }

    /// Peak resident memory (VmHWM) of a process, in KiB, from /proc/PID/status.
    package static func peakResidentKiB(_ pid: String) -> Int? {
        guard let status = FileSystem.text("/proc/\(pid)/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// Both processes' peak memory, as stage details: `supervisor_kib=… worker_kib=…`.
    package static func memoryDetail() -> String {
        "supervisor_kib=\(peakResidentKiB("1") ?? -1) worker_kib=\(peakResidentKiB("self") ?? -1)"
    }
}

extension String {
    /// A non-negative number with `places` decimals (1 to 9), without Foundation.
    package init(decimal value: Double, places: Int) {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let fraction = String(scaled % scale)
        self = "\(scaled / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
