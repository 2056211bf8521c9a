// `baton bench-configs PATH...`: how long finding and evaluating each boot configuration takes,
// in this build (run the release build for real figures), as the median of repeated runs. Each
// directory is treated as a device.

import BootConfig
import BootModel
import Grub
import LinuxPlatform

enum ConfigBenchmark {
    static func run(paths: [String], repetitions: Int) -> Int32 {
        var devices: [BootVolume] = []
        for path in paths where FileSystem.isDirectory(path) {
            devices += configRoots(under: path).map { BootVolume(name: $0, files: HostFileView(root: $0)) }
        }
        guard !devices.isEmpty else {
            Console.write("baton: no configuration found under \(paths.joined(separator: " "))", fd: 2)
            return 1
        }
        var readingMicroseconds = 0.0
        var subjects: [(name: String, device: BootVolume, entries: Int)] = []
        for device in devices {
            // The first run reads the files (into a cache); the timed runs only evaluate.
            let cached = BootVolume(name: device.name, files: CachedFileView(device.files))
            let first = Processes.monotonicNanoseconds()
            let entries = ConfigLocator.loadConfigurations(from: cached).reduce(0) { $0 + $1.entries.count }
            readingMicroseconds += Double(Processes.monotonicNanoseconds() - first) / 1000
            subjects.append((device.name, cached, entries))
            if let path = GrubConfig.locate(in: cached.files), let text = cached.files.text(of: path) {
                let parse = medianMicroseconds(repetitions) { _ = GrubParser.parse(text, file: path) }
                let lex = medianMicroseconds(repetitions) { _ = GrubLexer.countTokens(text, file: true) }
                Console.write("  \(device.name): GRUB lexing \(format3(lex)) us, parsing (with lexing) \(format3(parse)) us", fd: 2)
            }
        }
        // Repetitions go round the configurations rather than one configuration after another:
        // a slow spell of a shared machine then falls on all of them alike.
        var all = Array(repeating: [Int](), count: subjects.count), grub = all
        for _ in 0..<max(1, repetitions) {
            for (n, subject) in subjects.enumerated() {
                all[n].append(nanoseconds { _ = ConfigLocator.loadConfigurations(from: subject.device) })
                // GRUB alone: find grub.cfg, parse and evaluate it.
                grub[n].append(nanoseconds { _ = GrubConfig.load(from: subject.device) })
            }
        }
        var results: [(name: String, entries: Int, microseconds: Double, grub: Double, grubBest: Double)] = []
        for (n, subject) in subjects.enumerated() {
            results.append((subject.name, subject.entries, median(all[n]), median(grub[n]), Double(grub[n].min() ?? 0) / 1000))
        }
        results.sort { $0.microseconds > $1.microseconds }
        for r in results {
            Console.write(pad(String(format3(r.microseconds)) + " us", 12) + pad("grub " + format3(r.grub) + " us", 18) + pad("\(r.entries) entries", 12) + r.name)
        }
        let total = results.reduce(0) { $0 + $1.microseconds }
        Console.write("first run with file reads: \(format3(readingMicroseconds / 1000)) ms for all")
        if let slowestGrub = results.max(by: { $0.grub < $1.grub }) {
            Console.write("slowest GRUB configuration alone: \(format3(slowestGrub.grub)) us (\(slowestGrub.name)), best run \(format3(slowestGrub.grubBest)) us")
        }
        Console.write("configs: \(results.count), evaluation total \(format3(total / 1000)) ms, " +
                      "\(Int(Double(results.count) / (total / 1_000_000))) configs/s, slowest \(format3(results[0].microseconds)) us (\(results[0].name))")
        return 0
    }

    /// The median time of `repetitions` runs of `work`: unlike the mean, it ignores runs the
    /// machine interrupted.
    static func medianMicroseconds(_ repetitions: Int, _ work: () -> Void) -> Double {
        median((0..<max(1, repetitions)).map { _ in nanoseconds(work) })
    }

    /// How long one run of `work` took.
    static func nanoseconds(_ work: () -> Void) -> Int {
        let start = Processes.monotonicNanoseconds()
        work()
        return Processes.monotonicNanoseconds() - start
    }

    /// The median of times in nanoseconds, in microseconds.
    static func median(_ times: [Int]) -> Double {
        let sorted = times.sorted()
        return sorted.isEmpty ? 0 : Double(sorted[sorted.count / 2]) / 1000
    }

    /// Folders that hold a configuration Baton reads: a folder with grub.cfg, loader/entries or
    /// syslinux files at one of the known places counts as one filesystem.
    static func configRoots(under path: String) -> [String] {
        let probe = BootVolume(name: path, files: HostFileView(root: path))
        if !ConfigLocator.loadConfigurations(from: probe).isEmpty { return [path] }
        return FileSystem.list(path).flatMap { name -> [String] in
            let child = path + "/" + name
            return FileSystem.isDirectory(child) ? configRoots(under: child) : []
        }
    }

    static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }

    static func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return String(scaled)
    }
}
