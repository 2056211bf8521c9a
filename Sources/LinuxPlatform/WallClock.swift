// The wall clock that certificates are checked against: read, set, and whether it is plausible.
// The kernel sets it from the RTC at boot; a machine whose RTC is unset starts in the past, and
// then (only then) the time an NTP server gives is taken.

import Glibc

public enum WallClock {
    /// No clock that reads earlier than this (2026-01-01) is right: the RTC was never set.
    public static let earliestPlausible = 1_767_225_600.0

    /// Now, in Unix seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static var isPlausible: Bool { now() >= earliestPlausible }

    /// Sets the clock to `unixSeconds`.
    public static func set(_ unixSeconds: Double) throws(SystemError) {
        var ts = timespec(tv_sec: Int(unixSeconds), tv_nsec: Int((unixSeconds - unixSeconds.rounded(.down)) * 1e9))
        guard clock_settime(CLOCK_REALTIME, &ts) == 0 else { throw SystemError.current("clock_settime", "CLOCK_REALTIME") }
    }
}
