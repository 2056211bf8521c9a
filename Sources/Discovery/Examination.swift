// The examination child's side (`baton examine`): it reads a request on standard input, examines
// the device, and writes its report on standard output; and how the worker reads how a child
// ended. Requests and reports cross the pipe in the wire form of BootModel.

import BootModel
import LinuxPlatform

public enum Examination {
    /// The command-line word that starts Baton's binary as an examination child.
    public static let argument = "examine"
    /// The word that starts it as a network job's child (NetworkJob).
    public static let networkArgument = NetworkJob.argument

    /// A network job child's main: returns its exit status.
    public static func networkChildMain() -> Int32 { NetworkJob.childMain() }

    /// The child's main: returns its exit status.
    public static func childMain() -> Int32 {
        var reader = WireReader(IsolatedChild.readStandardInput())
        let request: ExaminationRequest
        do {
            request = try ExaminationRequest(from: &reader)
        } catch {
            IsolatedChild.writeStandardError("baton examine: unreadable request: \(error)\n")
            return 2
        }
        let report = request.job.examineHere()
        trapIfAsked(report, title: request.job.trapTitle)
        var wire = WireWriter()
        report.write(to: &wire)
        IsolatedChild.writeStandardOutput(wire.bytes)
        return 0
    }

    /// The one deliberate trap in Baton, for tests of the isolation only: reachable solely in an
    /// examination child, and only when the trusted kernel command line
    /// (`baton.test-examine-trap=TITLE`, which the worker puts in the request) or a test asked for
    /// it — never from what a disk holds.
    static func trapIfAsked(_ report: DeviceReport, title: String?) {
        guard let title, report.configurations.contains(where: { $0.entries.contains { $0.title == title } }) else { return }
        fatalError("baton.test-examine-trap: an entry is titled '\(title)'")
    }

    /// The report for how a child ended: its own when it answered, else one that says why not.
    static func report(for outcome: ChildOutcome, job: DeviceJob) -> DeviceReport {
        var report = DeviceReport(name: job.name, generation: job.generation)
        switch outcome {
        case .exited(0, let output, let errors):
            var reader = WireReader(output)
            if let answer = try? DeviceReport(from: &reader), reader.isAtEnd, answer.name == job.name {
                return answer
            }
            report.failure = "its configuration could not be read (the reader's answer was unreadable\(lastLine(errors)))"
        case .exited(let status, _, let errors):
            report.failure = "its configuration could not be read (the reader exited with status \(status)\(lastLine(errors)))"
        case .signaled(let signal, let errors):
            let why = Processes.isCPULimit(signal) ? "ran out of CPU time (\(job.limits.cpuSeconds) s)" : "crashed: \(Processes.signalName(signal))"
            report.failure = "its configuration could not be read (the reader \(why)\(lastLine(errors)))"
        case .killedAfter(_, let errors):
            report.failure = "its configuration could not be read (the reader ran past \(job.limits.wallMilliseconds / 1000) s\(lastLine(errors)))"
        }
        return report
    }

    /// ": <the last line the child wrote on standard error>", or nothing.
    static func lastLine(_ errors: String) -> String {
        guard let line = errors.split(separator: "\n").last(where: { !$0.allSatisfy { $0 == " " } }) else { return "" }
        return ": " + String(line.prefix(160))
    }
}

/// What the worker asks of a child: the job, less what only the worker needs.
struct ExaminationRequest: WireCodable {
    var job: DeviceJob

    init(job: DeviceJob) { self.job = job }

    func write(to wire: inout WireWriter) {
        wire.write(job.name)
        wire.write(job.generation)
        wire.write(job.mountRoot)
        wire.write(job.known)
        wire.write(job.grubPlatform)
        wire.write(job.directory)
        wire.write(job.trapTitle)
    }

    init(from wire: inout WireReader) throws(WireError) {
        job = DeviceJob(
            name: try wire.readString(), generation: try wire.readInt(), mountRoot: try wire.readString(),
            known: try wire.readArray(), grubPlatform: try wire.readString())
        job.directory = try wire.readOptionalString()
        job.trapTitle = try wire.readOptionalString()
    }
}

extension DeviceReport: WireCodable {
    func write(to wire: inout WireWriter) {
        wire.write(name)
        wire.write(generation)
        wire.write(mount)
        wire.write(configurations)
        wire.write(fileProblems.map { ProblemList(problems: $0) })
        wire.write(readWith.sorted())
        wire.write(log)
        wire.write(failure)
    }

    init(from wire: inout WireReader) throws(WireError) {
        self.init(name: try wire.readString(), generation: try wire.readInt())
        mount = try wire.readOptional()
        configurations = try wire.readArray()
        fileProblems = try wire.readArray(ProblemList.self).map(\.problems)
        guard fileProblems.count == configurations.count,
              zip(fileProblems, configurations).allSatisfy({ $0.count == $1.entries.count }) else {
            throw WireError("file problems do not match the entries")
        }
        readWith = Set(try wire.readStrings())
        log = try wire.readStrings()
        failure = try wire.readOptionalString()
    }
}

/// One configuration's file problems, for reading them as an array of arrays.
private struct ProblemList: WireCodable {
    var problems: [String?]

    init(problems: [String?]) { self.problems = problems }

    func write(to wire: inout WireWriter) {
        wire.write(problems.count)
        for problem in problems { wire.write(problem) }
    }

    init(from wire: inout WireReader) throws(WireError) {
        let count = try wire.readInt()
        guard count >= 0, count <= wire.bytesLeft else { throw WireError("count \(count) past the end") }
        problems = []
        for _ in 0..<count { problems.append(try wire.readOptionalString()) }
    }
}

extension BlockProbeResult: WireCodable {
    public func write(to wire: inout WireWriter) {
        for field in [type, uuid, label, partitionTable, partUUID, usage] { wire.write(field) }
    }

    public init(from wire: inout WireReader) throws(WireError) {
        self.init(
            type: try wire.readOptionalString(), uuid: try wire.readOptionalString(), label: try wire.readOptionalString(),
            partitionTable: try wire.readOptionalString(), partUUID: try wire.readOptionalString(), usage: try wire.readOptionalString())
    }
}

extension MountedDevice: WireCodable {
    /// Only a mounted device's facts cross: files read from a disk image stay in host mode.
    public func write(to wire: inout WireWriter) {
        wire.write(device.name)
        wire.write(device.isPartition)
        wire.write(device.probe)
        wire.write(root)
    }

    public init(from wire: inout WireReader) throws(WireError) {
        let name = try wire.readString()
        let isPartition = try wire.readBool()
        let probe: BlockProbeResult = try wire.read()
        self.init(device: BlockDevice(name: name, isPartition: isPartition, probe: probe), root: try wire.readString())
    }
}
