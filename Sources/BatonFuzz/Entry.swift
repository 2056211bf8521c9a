// The fuzzer's entry point: libFuzzer's driver in a fuzz build (scripts/fuzz, -DBATON_FUZZ);
// otherwise a runner that passes the named files through the target once (regression inputs).

import FuzzTargets
import Glibc

/// A line on standard error.
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// The target named by BATON_FUZZ_TARGET, read once.
let selectedTarget: String = getenv("BATON_FUZZ_TARGET").map { String(cString: $0) } ?? "grub"

#if BATON_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("BatonFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard FuzzTargets.names.contains(selectedTarget) else {
        say("BATON_FUZZ_TARGET must be one of \(FuzzTargets.names.joined(separator: ", "))")
        return 2
    }
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        FuzzTargets.run(selectedTarget, data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
/// Without libFuzzer: runs the named files through the target once each (regression inputs).
@main
struct RegressionRunner {
    static func main() {
        var failures: Int32 = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                failures = 1
                continue
            }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let read = fread(&buffer, 1, buffer.count, file)
                if read <= 0 { break }
                bytes += buffer[0..<read]
            }
            fclose(file)
            FuzzTargets.run(selectedTarget, bytes)
        }
        if CommandLine.arguments.count < 2 {
            say("baton-fuzz: build with scripts/fuzz to fuzz; given files, runs them through BATON_FUZZ_TARGET once")
        }
        exit(failures)
    }
}
#endif
