// Baton's entry point: PID 1 supervisor, menu worker, the kernel's modprobe helper, or a host tool.

import Discovery
import Glibc
import LinuxPlatform

let arguments = CommandLine.arguments
let invokedAs = arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""

if invokedAs == "modprobe" {
    exit(ModprobeHelper.run(arguments: Array(arguments.dropFirst())))
} else if Processes.isInit {
    Supervisor.run()
} else if arguments.dropFirst().first == MenuWorker.argument {
    MenuWorker.run()
} else if arguments.dropFirst().first == Examination.argument {
    exit(Examination.childMain())
} else {
    exit(HostCommand.run(arguments: Array(arguments.dropFirst())))
}
