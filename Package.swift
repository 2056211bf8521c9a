// swift-tools-version: 6.0
// Baton: a boot menu that runs as PID 1 in an initramfs and kexecs the chosen kernel.
import PackageDescription

let package = Package(
    name: "Baton",
    targets: [
        // Pure logic: no syscalls, tested by `swift test`.
        .target(name: "BootConfig"),
        .target(name: "BootMenu", dependencies: ["BootConfig"]),
        .target(name: "KernelModules", dependencies: ["BootConfig"]),
        // Partition tables and filesystems read from a disk image's bytes (host mode, no mounts).
        .target(name: "DiskImage", dependencies: ["BootConfig"]),

        // Tiny C shims, every symbol prefixed.
        .target(name: "CLinux"),
        .target(name: "CBlkid", linkerSettings: [.linkedLibrary("blkid")]),
        .target(name: "CCurses", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),

        // The operating system, and what is built on it.
        .target(name: "LinuxPlatform", dependencies: ["BootConfig", "DiskImage", "CLinux", "CBlkid"]),
        .target(name: "Discovery", dependencies: ["BootConfig", "KernelModules", "LinuxPlatform"]),
        .target(name: "Terminal", dependencies: ["BootMenu", "LinuxPlatform", "CCurses"]),
        .executableTarget(name: "baton", dependencies: ["BootConfig", "BootMenu", "Discovery", "LinuxPlatform", "Terminal"]),
        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer).
        .target(name: "FuzzTargets", dependencies: ["BootConfig", "Discovery", "DiskImage", "KernelModules"]),
        .executableTarget(name: "BatonFuzz", dependencies: ["FuzzTargets"]),

        .testTarget(name: "BootConfigTests", dependencies: ["BootConfig"]),
        .testTarget(name: "BootMenuTests", dependencies: ["BootMenu", "BootConfig"]),
        .testTarget(name: "KernelModulesTests", dependencies: ["KernelModules", "BootConfig"]),
        .testTarget(name: "LinuxPlatformTests", dependencies: ["LinuxPlatform"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery"]),
        .testTarget(name: "DiskImageTests", dependencies: ["DiskImage", "BootConfig", "LinuxPlatform"]),
        // Every finding the fuzzers made, kept in Tests/Fuzz/TARGET/, replayed.
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzTargets"]),
        // Real configs from ../shared/corpus against peers' expectations (and GRUB's own behaviour).
        .testTarget(name: "ConformanceTests", dependencies: ["BootConfig"], exclude: ["Fixtures", "OracleRecords"]),
    ]
)
