// Discovery's decisions as a value: which devices are being examined (since when, late or
// outdated), examined, or left alone after a failed examination, and what each event and report
// means for them. No syscalls, so every rule is unit-tested; DeviceInventory carries the
// decisions out (starting jobs, mounting, logging).

struct DeviceLedger: Sendable {
    enum State: Sendable, Equatable {
        /// A job is looking at it, since a time (ms); `late` once start-up stopped waiting for it;
        /// `outdated` once the device changed or went away meanwhile: what the job finds is then
        /// undone and the device, if still there, examined again — never by two jobs at once,
        /// which would race for its mount point.
        case examining(generation: Int, since: Int, late: Bool, outdated: Bool)
        case examined
        /// Its examination crashed, ran out of time or failed to start: it is left alone, also
        /// when it reports a change, until it is removed or everything is rescanned.
        case failed
    }

    /// What a job's report means.
    enum Verdict: Sendable, Equatable {
        /// Not the job the device waits for (an older generation, or a device forgotten): ignored.
        case stale
        /// The device changed or went away while the job ran: undo what it did, and examine the
        /// device again if it is still there.
        case outdated
        /// Take what it found; `late` when start-up had stopped waiting for it.
        case accepted(late: Bool)
        /// The examination failed: the device is left alone.
        case failed(late: Bool)
    }

    private(set) var states: [String: State] = [:]
    private var generation = 0

    /// Marks `name` as being examined from `now` on; returns the new job's generation.
    mutating func startExamining(_ name: String, now: Int) -> Int {
        generation += 1
        states[name] = .examining(generation: generation, since: now, late: false, outdated: false)
        return generation
    }

    /// Against the block devices there are now: the known ones gone, and the new ones to examine.
    func reconcile(with present: [String]) -> (gone: [String], new: [String]) {
        let names = Set(present)
        return (states.keys.filter { !names.contains($0) }.sorted(), present.filter { states[$0] == nil })
    }

    /// Whether a `change` or `remove` event of `name` makes it forgotten: a device whose
    /// examination failed is not examined again because it changed, only once it is removed.
    func forgets(_ name: String, on action: String) -> Bool {
        switch action {
        case "remove": return true
        case "change": return states[name] != .failed
        default: return false
        }
    }

    /// Forgets a device: a job still looking at it is marked outdated; otherwise the device is
    /// unknown again, to be examined afresh when it is (still) there.
    mutating func forget(_ name: String) {
        if case .examining(let generation, let since, let late, _) = states[name] {
            states[name] = .examining(generation: generation, since: since, late: late, outdated: true)
        } else {
            states[name] = nil
        }
    }

    /// A job's report for `name` of `generation` arrived.
    mutating func report(_ name: String, generation: Int, failed: Bool) -> Verdict {
        guard case .examining(let current, _, let late, let outdated) = states[name], current == generation else { return .stale }
        if outdated {
            states[name] = nil
            return .outdated
        }
        states[name] = failed ? .failed : .examined
        return failed ? .failed(late: late) : .accepted(late: late)
    }

    /// Milliseconds until the soonest job still within `patience` runs out of it; 0 when none is.
    func patienceLeft(now: Int, patience: Int) -> Int {
        states.values.compactMap { state -> Int? in
            guard case .examining(_, let since, _, _) = state else { return nil }
            let left = since + patience - now
            return left > 0 ? left : nil
        }.min() ?? 0
    }

    /// Marks every job not yet late as late; returns each such device with how long its job has run.
    mutating func markLate(now: Int) -> [(name: String, milliseconds: Int)] {
        var marked: [(name: String, milliseconds: Int)] = []
        for (name, state) in states.sorted(by: { $0.key < $1.key }) {
            guard case .examining(let generation, let since, false, let outdated) = state else { continue }
            states[name] = .examining(generation: generation, since: since, late: true, outdated: outdated)
            marked.append((name, now - since))
        }
        return marked
    }

    func isExamined(_ name: String) -> Bool { states[name] == .examined }

    /// Every device known, in any state.
    var names: [String] { states.keys.sorted() }
}
