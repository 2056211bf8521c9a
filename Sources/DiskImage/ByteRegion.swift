// A window of another byte source, e.g. one partition of a disk image.

/// The bytes of `base` from `offset` for `length` bytes, addressed from zero.
public struct ByteRegion: ByteSource {
    public let base: any ByteSource
    public let offset: UInt64
    public let length: UInt64

    /// A window clamped to the end of `base`: a partition table may claim more than the image holds.
    public init(_ base: any ByteSource, offset: UInt64, length: UInt64) {
        self.base = base
        self.offset = min(offset, base.size)
        self.length = min(length, base.size - self.offset)
    }

    public var size: UInt64 { length }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= length, UInt64(count) <= length - offset else { return nil }
        return base.read(at: self.offset + offset, count: count)
    }
}
