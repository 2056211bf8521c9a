// swift-tools-version: 6.0
// Baton: a boot menu that runs as PID 1 in an initramfs and kexecs the chosen kernel.
import PackageDescription

let package = Package(
    name: "Baton",
    targets: [
        // Pure logic: no syscalls, tested by `swift test`.
        // The shared model: entries, files, volumes, command lines, diagnostics, file views.
        .target(name: "BootModel"),
        // One reader per configuration format, and the step that picks them for a volume.
        .target(name: "BLS", dependencies: ["BootModel"]),
        .target(name: "Grub", dependencies: ["BootModel", "BLS"]),
        .target(name: "Syslinux", dependencies: ["BootModel"]),
        .target(name: "BootConfig", dependencies: ["BootModel", "BLS", "Grub", "Syslinux"]),
        .target(name: "BootMenu", dependencies: ["BootModel"]),
        .target(name: "KernelModules", dependencies: ["BootModel"]),
        // Network boot's protocols as codecs and state machines: DHCPv4, TFTP, pxelinux's lookup.
        .target(name: "Network", dependencies: ["BootModel"]),
        // iPXE scripts run as far as they lead: a menu becomes entries.
        .target(name: "IPXE", dependencies: ["BootModel"]),
        // Partition tables and filesystems read from a disk image's bytes (host mode, no mounts).
        .target(name: "DiskImage", dependencies: ["BootModel"]),

        // Tiny C shims, every symbol prefixed.
        .target(name: "CLinux"),
        .target(name: "CBlkid", linkerSettings: [.linkedLibrary("blkid")]),
        .target(name: "CCurses", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),
        // TLS for HTTPS: Debian's mbedTLS (Docs/decisions/0004).
        .target(name: "CTLS", linkerSettings: [.linkedLibrary("mbedtls"), .linkedLibrary("mbedx509"), .linkedLibrary("mbedcrypto")]),

        // The operating system, and what is built on it.
        .target(name: "LinuxPlatform", dependencies: ["BootModel", "DiskImage", "Network", "CLinux", "CBlkid", "CTLS"]),
        .target(name: "Discovery", dependencies: ["BootModel", "BootConfig", "Grub", "IPXE", "KernelModules", "LinuxPlatform", "Network", "Syslinux"]),
        .target(name: "Terminal", dependencies: ["BootMenu", "LinuxPlatform", "CCurses"]),
        // One run of the menu over discovered sources: the model, the session loop, host mode's output.
        .target(name: "BootSession", dependencies: ["BootModel", "BootMenu", "Discovery", "DiskImage", "Grub", "LinuxPlatform", "Terminal"]),
        // The host tool's command line.
        .target(name: "HostCommandLine", dependencies: ["BootModel"]),
        // The wiring: PID 1, the menu worker, the modprobe helper, the host tool.
        .executableTarget(name: "baton", dependencies: [
            "BootModel", "BootConfig", "Grub", "BootMenu", "BootSession", "Discovery", "HostCommandLine", "LinuxPlatform", "Network", "Terminal",
        ]),
        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer).
        .target(name: "FuzzTargets", dependencies: ["BootModel", "BootConfig", "BLS", "Grub", "IPXE", "Syslinux", "Discovery", "DiskImage", "KernelModules", "Network"]),
        .executableTarget(name: "BatonFuzz", dependencies: ["FuzzTargets"]),

        // What several test targets share: the corpus, a seeded generator, an inline GRUB run.
        .target(name: "TestSupport", dependencies: ["BootModel", "Grub"], path: "Tests/TestSupport"),
        .testTarget(name: "BootModelTests", dependencies: ["BootModel"]),
        // The readers and the locator that picks them.
        .testTarget(name: "BootConfigTests", dependencies: ["BLS", "Grub", "Syslinux", "BootModel", "BootConfig", "TestSupport"]),
        .testTarget(name: "GrubTests", dependencies: ["Grub", "BLS", "BootModel", "BootConfig", "TestSupport"]),
        .testTarget(name: "SyslinuxTests", dependencies: ["Syslinux", "BootModel", "TestSupport"]),
        .testTarget(name: "BootMenuTests", dependencies: ["BootMenu", "BootModel"]),
        .testTarget(name: "KernelModulesTests", dependencies: ["KernelModules", "BootModel"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "TestSupport"]),
        .testTarget(name: "IPXETests", dependencies: ["IPXE", "BootModel", "TestSupport"]),
        .testTarget(name: "BootSessionTests", dependencies: ["BootSession", "BootModel", "BootMenu", "Discovery", "LinuxPlatform"]),
        .testTarget(name: "HostCommandLineTests", dependencies: ["HostCommandLine"]),
        .testTarget(name: "LinuxPlatformTests", dependencies: ["LinuxPlatform", "Network"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Network"]),
        .testTarget(name: "DiskImageTests", dependencies: ["DiskImage", "BootModel", "LinuxPlatform"]),
        // Every finding the fuzzers made, kept in Tests/Fuzz/TARGET/, replayed.
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzTargets"]),
        // Real configs from ../shared/corpus against peers' expectations (and GRUB's own behaviour).
        .testTarget(
            name: "ConformanceTests", dependencies: ["BootModel", "BootConfig", "BootSession", "Grub", "Syslinux", "TestSupport"],
            exclude: ["Fixtures", "OracleRecords", "KnownMisses", "Listings"]),
    ]
)
