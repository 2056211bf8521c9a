// An ISO 9660 volume: primary and Joliet descriptors, blkid's identity, and which names to use.

struct ISOVolume: Sendable {
    enum Naming: Sendable { case rockRidge(skip: Int), joliet, plain }

    let source: any ByteSource
    let blockSize: UInt64
    let identity: FilesystemIdentity
    let root: ISODirectoryRecord
    let naming: Naming

    static let sectorSize: UInt64 = 2048
    /// blkid looks at no more than this many volume descriptors.
    static let maximumDescriptors: UInt64 = 64

    init?(_ source: any ByteSource) {
        var primary: [UInt8]?
        var joliet: [UInt8]?
        for index in 0..<Self.maximumDescriptors {
            guard let descriptor = source.bytes(at: (16 + index) * Self.sectorSize, count: Int(Self.sectorSize)),
                  descriptor.matches("CD001", at: 1) else { break }
            let type = descriptor[0]
            if type == 255 { break }
            if type == 1, primary == nil { primary = descriptor }
            if type == 2, joliet == nil, ["%/@", "%/C", "%/E"].contains(where: { descriptor.matches($0, at: 88) }) {
                joliet = descriptor
            }
        }
        guard let primary else { return nil }
        self.source = source
        let blockSize = UInt64(primary.le16(128))
        self.blockSize = [512, 1024, 2048].contains(blockSize) ? blockSize : Self.sectorSize
        self.identity = FilesystemIdentity(type: "iso9660", uuid: Self.uuid(primary), label: Self.label(primary: primary, joliet: joliet))

        guard let root = ISODirectoryRecord(primary.slice(156, 34)) else { return nil }
        // Rock Ridge is announced by an "SP" entry in the root's own "." record; Linux then
        // prefers it over Joliet.
        let rootFirst = Self.firstRecord(source: source, of: root, blockSize: self.blockSize)
        if let first = rootFirst, first.systemUse.matches("SP", at: 0), first.systemUse.u8(4) == 0xBE, first.systemUse.u8(5) == 0xEF {
            self.root = root
            self.naming = .rockRidge(skip: Int(first.systemUse.u8(6)))
        } else if let joliet, let jolietRoot = ISODirectoryRecord(joliet.slice(156, 34)) {
            self.root = jolietRoot
            self.naming = .joliet
        } else {
            self.root = root
            self.naming = .plain
        }
    }

    private static func firstRecord(source: any ByteSource, of directory: ISODirectoryRecord, blockSize: UInt64) -> ISODirectoryRecord? {
        guard let offset = Checked.multiply(UInt64(directory.extent), blockSize),
              let sector = source.bytes(at: offset, count: Int(min(UInt64(directory.size), sectorSize))) else { return nil }
        return ISODirectoryRecord(sector)
    }

    /// blkid's UUID: the modification date's digits "YYYY-MM-DD-HH-MM-SS-CC", else the creation
    /// date's; a date of all '0' with a zero time-zone byte is unset.
    static func uuid(_ primary: [UInt8]) -> String? {
        for offset in [830, 813] {
            let digits = primary.slice(offset, 16)
            if digits.allSatisfy({ $0 == 0x30 }) && primary.u8(offset + 16) == 0 { continue }
            var text: [UInt8] = []
            for (index, digit) in digits.enumerated() {
                if [4, 6, 8, 10, 12, 14].contains(index) { text.append(0x2D) }
                text.append(digit)
            }
            return TextDecoding.utf8(text)
        }
        return nil
    }

    /// blkid's LABEL: with Joliet, its 16-character name, extended by the primary descriptor's
    /// 32-character one when Joliet's is a prefix of it ('_' standing for any character, case
    /// ignored); without Joliet, the primary volume id.
    static func label(primary: [UInt8], joliet: [UInt8]?) -> String? {
        let ascii = primary.slice(40, 32)
        guard let joliet else { return TextDecoding.label(TextDecoding.utf8(ascii)) }
        let utf16 = joliet.slice(40, 32)
        if let merged = mergeJoliet(utf16, ascii: ascii) { return TextDecoding.label(TextDecoding.utf16(merged)) }
        return TextDecoding.label(TextDecoding.utf16BigEndian(utf16))
    }

    private static func mergeJoliet(_ utf16: [UInt8], ascii: [UInt8]) -> [UInt16]? {
        var out: [UInt16] = []
        var u = 0, a = 0
        func upper(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte - 0x20 : byte }
        while u + 1 < utf16.count, a < ascii.count {
            let high = utf16[u]
            if (0xD8...0xDB).contains(high), u + 3 < utf16.count, (0xDC...0xDF).contains(utf16[u + 2]) {
                out.append(utf16.be16(u))
                u += 2
            }
            let unit = utf16.be16(u), byte = ascii[a]
            if byte == 0x5F {
                out.append(unit)
            } else if unit == 0x5F {
                out.append(UInt16(byte))
            } else if unit < 0x100, upper(UInt8(unit)) == upper(byte) {
                out.append((0x41...0x5A).contains(byte) ? unit : UInt16(byte))
            } else {
                return nil
            }
            u += 2
            a += 1
        }
        while a < ascii.count {
            out.append(UInt16(ascii[a]))
            a += 1
        }
        return out
    }
}
