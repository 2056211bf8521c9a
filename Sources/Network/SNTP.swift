// SNTP (RFC 4330) for the clock HTTPS checks certificates against: a client request, and the
// server's time from its reply — mode 4, a stratum from 1 to 15, our own transmit time echoed,
// a transmit time set — as Unix seconds.

public enum SNTP {
    /// Seconds from 1900 (NTP's era 0) to 1970.
    static let unixOffset = 2_208_988_800.0

    /// A version 4 client request stamped with `now` (Unix seconds), which the reply must echo.
    public static func request(now: Double) -> [UInt8] {
        [0x23] + [UInt8](repeating: 0, count: 39) + timestamp(now)
    }

    /// The server's transmit time in Unix seconds, from a reply to the request stamped `sent`;
    /// nil when it is not such a reply.
    public static func serverTime(_ reply: [UInt8], sent: Double) -> Double? {
        guard reply.count >= 48, reply[0] & 0x07 == 4, (1...15).contains(reply[1]),
              Array(reply[24..<32]) == timestamp(sent) else { return nil }
        let seconds = reply[40..<44].reduce(0) { $0 << 8 | UInt64($1) }
        let fraction = reply[44..<48].reduce(0) { $0 << 8 | UInt64($1) }
        guard seconds != 0 else { return nil }
        return Double(seconds) + Double(fraction) / 4_294_967_296 - unixOffset
    }

    static func timestamp(_ unix: Double) -> [UInt8] {
        let ntp = max(0, unix + unixOffset)
        let seconds = UInt32(truncatingIfNeeded: UInt64(ntp))
        let fraction = UInt32(truncatingIfNeeded: UInt64((ntp - Double(UInt64(ntp))) * 4_294_967_296))
        return be32(seconds) + be32(fraction)
    }
}
