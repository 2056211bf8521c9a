// Helpers for GRUB tests: run an inline config on an in-memory device.

@testable import BootConfig

enum Grub {
    static let uuid = "11111111-2222-3333-4444-555555555555"

    /// Runs `config` as /boot/grub/grub.cfg of device "sda1", with `files` beside it.
    static func run(_ config: String, files: [String: String] = [:], others: [GrubDevice] = [], options: GrubOptions = GrubOptions()) -> BootConfiguration {
        let view = MemoryFileView(files.merging(["/boot/grub/grub.cfg": config]) { a, _ in a })
        let device = GrubDevice(name: "sda1", uuid: uuid, label: "boot", files: view)
        return GrubConfig.evaluate(config, path: "/boot/grub/grub.cfg", device: device, devices: [device] + others, options: options)
    }

    static func titles(_ config: String) -> [String] { run(config).entries.map(\.title) }

    static func commandLines(_ config: String, files: [String: String] = [:]) -> [String] {
        run(config, files: files).entries.map(\.commandLine)
    }
}
