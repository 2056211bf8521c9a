// Host mode's network commands: `baton fetch URL` (a file over TFTP or HTTP, with its rate, for
// checking a server and for scripts/bench), and `baton netboot INTERFACE` (as root: DHCP on the
// interface and the entries its boot server offers — what the PID 1 does for a NIC).

import BootModel
import BootSession
import Discovery
import LinuxPlatform
import Network

enum NetworkCommand {
    /// `certificates`: the CA certificates an https:// server is checked against (default: the host's own).
    static func fetch(_ text: String, output: String?, certificates: String?) -> Int32 {
        let url: NetworkURL
        do { url = try NetworkURL(text) } catch {
            Console.write("baton: \(error)", fd: 2)
            return 2
        }
        var file: FileDescriptor?
        if let output {
            do { file = try FileSystem.create(output) } catch {
                Console.write("baton: \(error)", fd: 2)
                return 1
            }
        }
        let started = Processes.monotonicNanoseconds()
        // As the boot fetches kernels (TFTP in 8 KiB blocks, straight into the file as it
        // arrives); https:// against the host's CA certificates.
        let result = NetworkTransfers.fetch(url, into: file?.raw ?? 1, maxSize: TFTPSettings.files.maxSize, certificates: certificates ?? "/etc/ssl/certs")
        switch result {
        case .failure(let error):
            Console.write("baton: \(url): \(error.message)", fd: 2)
            return 1
        case .success(let count):
            let seconds = Double(Processes.monotonicNanoseconds() - started) / 1e9
            let rate = seconds > 0 ? Double(count) / seconds / 1e6 : 0
            Console.write("baton: \(url): \(count) bytes in \(String(decimal: seconds, places: 3)) s, \(String(decimal: rate, places: 1)) MB/s", fd: 2)
            return 0
        }
    }

    static func netboot(_ name: String, url text: String?, json: Bool) -> Int32 {
        var url: NetworkURL?
        if let text {
            do { url = try NetworkURL(text) } catch {
                Console.write("baton: \(error)", fd: 2)
                return 2
            }
        }
        guard let interface = NetworkInterfaces.named(name) else {
            Console.write("baton: no network interface \(name) (have: \(NetworkInterfaces.list().map(\.name).joined(separator: ", ")))", fd: 2)
            return 1
        }
        let log: @Sendable (String) -> Void = { Console.write("baton: \($0)", fd: 2) }
        let network: NetworkLease
        switch NetworkSource.configure(interface, log: log) {
        case .success(let got): network = got
        case .failure(let error):
            log(error.description)
            return 1
        }
        guard let found = NetworkSource.bootSource(network, url: url, log: log) else { return 1 }
        let model = MenuModel(sources: [BootSource(mount: found.source, configuration: found.configuration)], mounts: [found.source], options: BatonOptions())
        for diagnostic in found.configuration.diagnostics { log("\(found.source.device.name): \(diagnostic)") }
        if json {
            Console.write(EntryReport.json(model))
        } else {
            for line in EntryReport.text(model) { Console.write(line) }
        }
        return 0
    }
}
