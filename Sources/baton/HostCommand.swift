// Baton as an ordinary program: acts on the parsed command line — lists the entries of directory
// trees and images, prints the boot plan (`--dry-run`), or runs the menu on this terminal —
// without privileges and without touching any device.

import BootConfig
import BootModel
import BootSession
import Discovery
import Grub
import HostCommandLine
import LinuxPlatform

enum HostCommand {
    static func run(arguments: [String]) -> Int32 {
        let invocation: HostInvocation
        do {
            invocation = try HostCommandLine.parse(arguments)
        } catch {
            let code = HostCommandLine.exitCode(for: error)
            Console.write(HostCommandLine.message(for: error), fd: code == 0 ? 1 : 2)
            return code
        }
        var grub = GrubOptions()
        grub.platform = invocation.platform
        grub.variables = invocation.variables
        switch invocation.command {
        case .benchConfigs(let paths):
            let repetitions = Processes.environment("BATON_BENCH_REPETITIONS").flatMap { Int($0) } ?? 50
            return ConfigBenchmark.run(paths: paths, repetitions: repetitions)
        case .grubAST(let path):
            return grubAST(path)
        case .fetch(let url, let output, let certificates):
            return NetworkCommand.fetch(url, output: output, certificates: certificates)
        case .netboot(let interface, let url, let json):
            return NetworkCommand.netboot(interface, url: url, json: json)
        case .list, .dryRun, .menu:
            break
        }
        guard let volumes = volumes(invocation.devices) else { return 1 }
        let hasImage = volumes.contains { !($0.files is HostFileView) }
        if case .list = invocation.command {} else if hasImage {
            Console.write("baton: disk images can be listed (baton list), not booted from: mount them, or give their directories", fd: 2)
            return 2
        }
        let mounts = HostVolumes.mounts(volumes)
        if case .menu(let timeout) = invocation.command {
            DryRunHost.runMenu(mounts: mounts, grub: grub, options: BatonOptions(timeout: timeout))
        }
        guard let model = HostVolumes.menu(volumes, grub: grub) else {
            Console.write("baton: no boot configuration found (looked for \(ConfigLocator.searchedPaths.joined(separator: ", ")))", fd: 2)
            return 1
        }
        switch invocation.command {
        case .dryRun(let entry, let console):
            switch EntryReport.plan(model, entry: entry, console: console) {
            case .success(let lines):
                for line in lines { Console.write(line) }
                return 0
            case .failure(let error):
                Console.write("baton: \(error)", fd: 2)
                return 1
            }
        default:
            for source in model.sources {
                for diagnostic in source.configuration.diagnostics { Console.write("baton: \(source.label): \(diagnostic)", fd: 2) }
            }
            if case .list(json: true) = invocation.command {
                Console.write(EntryReport.json(model))
            } else {
                for line in EntryReport.text(model) { Console.write(line) }
            }
            return 0
        }
    }

    /// The DEVICE arguments as volumes: directories, and each image's readable filesystems.
    static func volumes(_ devices: [DeviceArgument]) -> [BootVolume]? {
        var volumes: [BootVolume] = []
        for device in devices {
            if FileSystem.isDirectory(device.path) {
                switch HostVolumes.directory(device.path, uuid: device.uuid, label: device.label, taken: volumes) {
                case .success(let volume): volumes.append(volume)
                case .failure(let error):
                    Console.write("baton: \(error)", fd: 2)
                    return nil
                }
            } else {
                switch ImageVolumes.devices(device.path, name: device.name) {
                case .success(let found):
                    for problem in found.problems { Console.write("baton: \(problem)", fd: 2) }
                    volumes += found.volumes
                case .failure(let error):
                    Console.write("baton: \(error)", fd: 2)
                    return nil
                }
            }
        }
        return volumes
    }

    static func grubAST(_ path: String) -> Int32 {
        guard let text = FileSystem.text(path) else {
            Console.write("baton: \(path): cannot read", fd: 2)
            return 1
        }
        Console.write(GrubConfig.syntaxTree(text, path: path))
        return 0
    }
}
