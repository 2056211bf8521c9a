// The one way bytes enter this module: a random-access, read-only source such as a disk image.

/// Random-access read-only bytes (a disk image, or a region of one).
public protocol ByteSource: Sendable {
    /// The number of bytes in the source.
    var size: UInt64 { get }
    /// `count` bytes at `offset`, or nil when the range is outside the source or unreadable.
    func read(at offset: UInt64, count: Int) -> [UInt8]?
}

extension ByteSource {
    /// Exactly `count` bytes at `offset`, or nil; a short answer from a sloppy source counts as
    /// unreadable, so parsers never index past what they asked for.
    func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, let end = Checked.add(offset, UInt64(count)), end <= size else { return nil }
        if count == 0 { return [] }
        guard let bytes = read(at: offset, count: count), bytes.count == count else { return nil }
        return bytes
    }
}
