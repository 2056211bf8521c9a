// A compact binary form for values that cross a process boundary: what an examination child
// found on a device goes to the worker through a pipe. Reading never trusts the bytes: every
// length and count is checked against what is left, so a truncated or garbled answer is an
// error, never a trap or a huge allocation.

/// A value that can be written to and read back from the wire form.
public protocol WireCodable {
    func write(to wire: inout WireWriter)
    init(from wire: inout WireReader) throws(WireError)
}

public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Zigzag-coded variable-length integer: small numbers, negative or not, take one byte.
    public mutating func write(_ value: Int) {
        var v = UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1))))
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ value: String) {
        write(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    public mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    public mutating func write(_ value: Int?) {
        write(value != nil)
        if let value { write(value) }
    }

    public mutating func write<T: WireCodable>(_ value: T) { value.write(to: &self) }

    public mutating func write<T: WireCodable>(_ value: T?) {
        write(value != nil)
        if let value { value.write(to: &self) }
    }

    public mutating func write<T: WireCodable>(_ values: [T]) {
        write(values.count)
        for value in values { value.write(to: &self) }
    }

    public mutating func write(_ values: [String]) {
        write(values.count)
        for value in values { write(value) }
    }
}

public struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }
    public var bytesLeft: Int { bytes.count - offset }

    public mutating func readInt() throws(WireError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw WireError("truncated number") }
            let byte = bytes[offset]
            offset += 1
            guard shift < 64 else { throw WireError("number too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        let zigzag = Int64(bitPattern: result)
        return Int(truncatingIfNeeded: (zigzag >> 1) ^ -(zigzag & 1))
    }

    public mutating func readBool() throws(WireError) -> Bool {
        guard offset < bytes.count else { throw WireError("truncated flag") }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw WireError("bad flag \(bytes[offset])")
        }
    }

    public mutating func readString() throws(WireError) -> String {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - offset else { throw WireError("string of \(count) bytes past the end") }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    public mutating func readOptionalString() throws(WireError) -> String? {
        try readBool() ? try readString() : nil
    }

    public mutating func readOptionalInt() throws(WireError) -> Int? {
        try readBool() ? try readInt() : nil
    }

    public mutating func read<T: WireCodable>(_ type: T.Type = T.self) throws(WireError) -> T {
        try T(from: &self)
    }

    public mutating func readOptional<T: WireCodable>(_ type: T.Type = T.self) throws(WireError) -> T? {
        try readBool() ? try T(from: &self) : nil
    }

    /// A count of items that each take at least one byte: never more than the bytes left.
    private mutating func readCount() throws(WireError) -> Int {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - offset else { throw WireError("count \(count) past the end") }
        return count
    }

    public mutating func readArray<T: WireCodable>(_ type: T.Type = T.self) throws(WireError) -> [T] {
        let count = try readCount()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(from: &self)) }
        return values
    }

    public mutating func readStrings() throws(WireError) -> [String] {
        let count = try readCount()
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readString()) }
        return values
    }
}

// MARK: the boot model

extension SourceLocation: WireCodable {
    public func write(to wire: inout WireWriter) {
        wire.write(file)
        wire.write(line)
    }

    public init(from wire: inout WireReader) throws(WireError) {
        self.init(file: try wire.readString(), line: try wire.readInt())
    }
}

extension Diagnostic: WireCodable {
    public func write(to wire: inout WireWriter) {
        wire.write(severity == .error)
        wire.write(message)
        wire.write(location)
    }

    public init(from wire: inout WireReader) throws(WireError) {
        let severity: Severity = try wire.readBool() ? .error : .warning
        self.init(severity, try wire.readString(), at: try wire.read())
    }
}

extension DeviceReference: WireCodable {
    public func write(to wire: inout WireWriter) {
        switch self {
        case .configDevice: wire.write(0)
        case .named(let name): wire.write(1); wire.write(name)
        case .uuid(let uuid): wire.write(2); wire.write(uuid)
        case .label(let label): wire.write(3); wire.write(label)
        case .unknown(let name): wire.write(4); wire.write(name)
        case .server(let root): wire.write(5); wire.write(root)
        }
    }

    public init(from wire: inout WireReader) throws(WireError) {
        switch try wire.readInt() {
        case 0: self = .configDevice
        case 1: self = .named(try wire.readString())
        case 2: self = .uuid(try wire.readString())
        case 3: self = .label(try wire.readString())
        case 4: self = .unknown(try wire.readString())
        case 5: self = .server(try wire.readString())
        case let kind: throw WireError("unknown device reference kind \(kind)")
        }
    }
}

extension BootFile: WireCodable {
    public func write(to wire: inout WireWriter) {
        wire.write(path)
        wire.write(device)
    }

    public init(from wire: inout WireReader) throws(WireError) {
        let path = try wire.readString()
        self.init(path, on: try wire.read())
    }
}

extension BootEntry: WireCodable {
    public func write(to wire: inout WireWriter) {
        wire.write(title)
        wire.write(id)
        wire.write(kernel)
        wire.write(initrds)
        wire.write(devicetree)
        wire.write(commandLine)
        wire.write(origin)
        wire.write(unbootableReason)
        wire.write(help)
        wire.write(hotkey.map(String.init))
    }

    public init(from wire: inout WireReader) throws(WireError) {
        self.init(
            title: try wire.readString(), id: try wire.readOptionalString(), kernel: try wire.readOptional(),
            initrds: try wire.readArray(), devicetree: try wire.readOptional(), commandLine: try wire.readString(),
            origin: try wire.read(), unbootableReason: try wire.readOptionalString(), help: try wire.readOptionalString(),
            hotkey: try wire.readOptionalString()?.first)
    }
}

extension BootConfiguration: WireCodable {
    public func write(to wire: inout WireWriter) {
        wire.write(path)
        wire.write(entries)
        wire.write(defaultIndex)
        wire.write(timeout)
        wire.write(diagnostics)
        wire.write(timeoutStyle.rawValue)
        wire.write(fallbackIndex)
        wire.write(consultsOtherDevices)
    }

    public init(from wire: inout WireReader) throws(WireError) {
        let path = try wire.readString()
        let entries: [BootEntry] = try wire.readArray()
        let defaultIndex = try wire.readInt()
        let timeout = try wire.readOptionalInt()
        let diagnostics: [Diagnostic] = try wire.readArray()
        let styleName = try wire.readString()
        guard let style = TimeoutStyle(rawValue: styleName) else { throw WireError("unknown timeout style \(styleName)") }
        self.init(
            path: path, entries: entries, defaultIndex: defaultIndex, timeout: timeout, diagnostics: diagnostics,
            timeoutStyle: style, fallbackIndex: try wire.readOptionalInt())
        consultsOtherDevices = try wire.readBool()
    }
}
