// The console: which tty it is, its speed, writing log lines, and quieting kernel messages.

internal import CLinux
import Glibc

public enum Console {
    /// The consoles the kernel writes to, e.g. ["tty0", "ttyS0"]; the last is /dev/console.
    public static func active() -> [String] {
        guard let text = FileSystem.text("/sys/class/tty/console/active") else { return [] }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// Whether a console is a serial line (or a hypervisor's console, which speaks like one):
    /// 8250/16550, PL011, USB serial, Zynq, i.MX, hvc and s390's SCLP.
    public static func isSerial(_ name: String) -> Bool {
        ["ttyS", "ttyAMA", "ttyUSB", "ttyPS", "ttymxc", "hvc", "ttysclp"].contains { name.hasPrefix($0) }
    }

    /// The `console=` value for a tty, e.g. "ttyS0,115200" for a serial line, "tty0" for the
    /// screen. Only 8250-style lines (`ttyS`) are given their speed.
    public static func kernelArgument(for tty: String, fd: Int32) -> String {
        guard tty.hasPrefix("ttyS") else { return tty }
        let baud = clinux_tty_baud(fd)
        return baud > 0 ? "\(tty),\(baud)" : tty
    }

    /// Writes a line to a file descriptor (stdout by default), best effort.
    public static func write(_ line: String, fd: Int32 = 1) {
        try? FileSystem.writeAll(Array((line + "\n").utf8), to: fd, name: "console")
    }

    /// One byte from a descriptor if it arrives within `milliseconds`; nil otherwise.
    public static func readByte(fd: Int32, milliseconds: Int) -> UInt8? {
        guard Poll.wait([fd], milliseconds: milliseconds).contains(fd) else { return nil }
        var byte: UInt8 = 0
        let n = Glibc.read(fd, &byte, 1)
        return n == 1 ? byte : nil
    }

    /// Opens a console device for the menu, read-write, not as controlling terminal.
    public static func openDevice(_ name: String) throws(SystemError) -> Int32 {
        let path = "/dev/" + name
        return try retrying("open", path) { Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC) }
    }

    /// The kernel's console log level now (first field of /proc/sys/kernel/printk).
    public static func kernelMessageLevel() -> Int32? {
        FileSystem.text("/proc/sys/kernel/printk")?.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int32($0) }
    }

    /// Writes a line to the kernel log (/dev/kmsg), best effort.
    public static func kernelLog(_ line: String) {
        let fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        write("baton: " + line, fd: fd)
    }

    /// Sets which kernel messages reach the console (1 = emergencies only).
    public static func setKernelMessageLevel(_ level: Int32) {
        _ = clinux_klog_console_level(level)
    }
}

/// Terminals read key by key without echo (no line editing) until `restore()`: for a key such as
/// Esc while the menu is suspended and the terminals are back in line mode.
public struct RawInput {
    private let saved: [(fd: Int32, settings: termios)]

    public init(_ descriptors: [Int32]) {
        saved = descriptors.compactMap(Self.makeRaw)
    }

    /// One terminal read raw; nil when `fd` is not a terminal.
    public init?(terminal fd: Int32) {
        guard let one = Self.makeRaw(fd) else { return nil }
        saved = [one]
    }

    private static func makeRaw(_ fd: Int32) -> (fd: Int32, settings: termios)? {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        var raw = settings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        raw.c_cc.6 = 0  // VMIN: a read returns what is there
        raw.c_cc.5 = 0  // VTIME
        _ = tcsetattr(fd, TCSANOW, &raw)
        return (fd, settings)
    }

    public func restore() {
        for (fd, settings) in saved {
            var settings = settings
            _ = tcsetattr(fd, TCSANOW, &settings)
        }
    }
}
