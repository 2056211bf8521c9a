// Test helpers shared by the GRUB tests and the tests of the readers around it.

import BootModel
import Grub

/// Runs an inline GRUB config on an in-memory device, for the tests of GRUB and of what reads it.
public enum GrubHarness {
    public static let uuid = "11111111-2222-3333-4444-555555555555"

    /// Runs `config` as /boot/grub/grub.cfg of device "sda1", with `files` beside it.
    public static func run(_ config: String, files: [String: String] = [:], others: [BootVolume] = [], options: GrubOptions = GrubOptions()) -> BootConfiguration {
        let view = MemoryFileView(files.merging(["/boot/grub/grub.cfg": config]) { a, _ in a })
        let device = BootVolume(name: "sda1", uuid: uuid, label: "boot", files: view)
        return GrubConfig.evaluate(config, path: "/boot/grub/grub.cfg", device: device, devices: [device] + others, options: options)
    }

    public static func titles(_ config: String) -> [String] { run(config).entries.map(\.title) }

    public static func commandLines(_ config: String, files: [String: String] = [:]) -> [String] {
        run(config, files: files).entries.map(\.commandLine)
    }
}
