// Baton's entry point: PID 1 supervisor, menu worker, the kernel's modprobe helper, or a host tool.

import BootSession
import Discovery
import LinuxPlatform

let arguments = CommandLine.arguments
let invokedAs = arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""

if invokedAs == "modprobe" {
    Processes.exit(ModprobeHelper.run(arguments: Array(arguments.dropFirst())))
} else if Processes.isInit {
    Supervisor.run()
} else if arguments.dropFirst().first == WorkerSettings.command {
    guard let settings = WorkerSettings(arguments: arguments.dropFirst()) else {
        Console.write("baton: a menu worker's arguments are PID 1's to give: \(arguments.joined(separator: " "))", fd: 2)
        Processes.exit(2)
    }
    MenuWorker.run(settings)
} else if arguments.dropFirst().first == Examination.argument {
    Processes.exit(Examination.childMain())
} else if arguments.dropFirst().first == Examination.networkArgument {
    Processes.exit(Examination.networkChildMain())
} else {
    Processes.exit(HostCommand.run(arguments: Array(arguments.dropFirst())))
}
