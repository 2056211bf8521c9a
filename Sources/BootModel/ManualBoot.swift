// A kernel typed at the menu's command prompt: `DEVICE:/kernel [initrd=DEVICE:/file,…]… ARGS`.

public enum ManualBoot {
    /// The entry the text describes, or a message saying what is wrong with it.
    public static func parse(_ text: String) -> Result<BootEntry, ManualBootError> {
        let words = KernelCommandLine(text).parameters
        guard let first = words.first else { return .failure(ManualBootError(message: "type a kernel, e.g. vda1:/boot/vmlinuz root=/dev/vda1")) }
        var initrds: [BootFile] = []
        var arguments: [String] = []
        for word in words.dropFirst() {
            if word.hasPrefix("initrd=") {
                initrds += word.dropFirst(7).split(separator: ",").map { file(String($0)) }
            } else {
                arguments.append(word)
            }
        }
        return .success(BootEntry(
            title: "typed: \(first)", kernel: file(first), initrds: initrds, commandLine: KernelCommandLine(arguments.joined(separator: " ")).description,
            origin: SourceLocation(file: "(command prompt)", line: 1)))
    }

    /// `vda1:/boot/vmlinuz` → that path on vda1; `/boot/vmlinuz` → no device named.
    static func file(_ spec: String) -> BootFile {
        guard let colon = spec.firstIndex(of: ":"), spec[spec.index(after: colon)...].hasPrefix("/") else {
            return BootFile(Path.normalized(spec))
        }
        let device = String(spec[..<colon])
        let path = Path.normalized(String(spec[spec.index(after: colon)...]))
        if device.hasPrefix("UUID=") { return BootFile(path, on: .uuid(String(device.dropFirst(5)))) }
        if device.hasPrefix("LABEL=") { return BootFile(path, on: .label(String(device.dropFirst(6)))) }
        return BootFile(path, on: .named(device))
    }
}

public struct ManualBootError: Error, Sendable, Hashable {
    public var message: String
}
