// Loads the kernel modules the present hardware needs: the modalias of every device in sysfs,
// matched against modules.alias, loaded in dependency order — repeated while new devices appear.

import BootModel
import KernelModules
import LinuxPlatform

public struct Coldplug: Sendable {
    public let index: ModuleIndex
    public let moduleRoot: String
    private var tried: Set<String> = []

    /// Reads the module database of the running kernel; nil when the initramfs has none.
    public init?(moduleRoot: String = "/lib/modules/" + KernelInfo.release()) {
        guard let dep = FileSystem.text(moduleRoot + "/modules.dep") else { return nil }
        self.moduleRoot = moduleRoot
        index = ModuleIndex(
            dep: dep,
            alias: FileSystem.text(moduleRoot + "/modules.alias") ?? "",
            softdep: FileSystem.text(moduleRoot + "/modules.softdep") ?? "",
            builtin: FileSystem.text(moduleRoot + "/modules.builtin") ?? "")
    }

    /// Every modalias currently in sysfs.
    public static func modaliases() -> Set<String> {
        var found: Set<String> = []
        for bus in FileSystem.list("/sys/bus") {
            let devices = "/sys/bus/\(bus)/devices"
            for device in FileSystem.list(devices) {
                if let alias = FileSystem.text("\(devices)/\(device)/modalias")?.trimmingBlanks, !alias.isEmpty {
                    found.insert(alias)
                }
            }
        }
        return found
    }

    /// Loads the modules for aliases not handled before; returns what it loaded and the failures.
    public mutating func load(aliases: some Sequence<String>) -> (loaded: [String], errors: [SystemError]) {
        var wanted: [String] = []
        for alias in aliases where !tried.contains(alias) {
            tried.insert(alias)
            wanted += index.modules(matching: alias)
        }
        return load(modules: wanted)
    }

    /// Loads modules by name or alias (e.g. "fs-vfat") with their dependencies.
    public func load(modules wanted: [String]) -> (loaded: [String], errors: [SystemError]) {
        guard !wanted.isEmpty else { return ([], []) }
        var resolved: [String] = []
        for name in wanted { resolved += index.modules(matching: name) }
        let plan = index.loadOrder(for: resolved, alreadyLoaded: ModuleLoader.loaded())
        var loaded: [String] = []
        var errors: [SystemError] = []
        for path in plan.paths {
            do {
                try ModuleLoader.load(moduleRoot + "/" + path)
                loaded.append(path)
            } catch {
                errors.append(error)
            }
        }
        return (loaded, errors)
    }
}
