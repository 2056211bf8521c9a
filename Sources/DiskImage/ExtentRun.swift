// A run of contiguous blocks of a file: logical block → physical block, for a length.

struct ExtentRun: Equatable {
    let logical: UInt64
    let physical: UInt64
    let length: UInt64
    /// Allocated but never written (reads as zeros).
    var unwritten = false
}
