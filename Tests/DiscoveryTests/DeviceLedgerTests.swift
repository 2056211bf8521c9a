// Discovery's decisions (DeviceLedger): what events and job reports do to a device's state.

import Testing
@testable import Discovery

@Suite struct DeviceLedgerTests {
    @Test func aNewDeviceIsExaminedOnceAndItsReportAccepted() {
        var ledger = DeviceLedger()
        #expect(ledger.reconcile(with: ["vda", "vdb"]).new == ["vda", "vdb"])
        let a = ledger.startExamining("vda", now: 0)
        let b = ledger.startExamining("vdb", now: 0)
        #expect(a != b)
        // While its job runs, a device is not new again.
        #expect(ledger.reconcile(with: ["vda", "vdb"]).new.isEmpty)
        #expect(ledger.report("vda", generation: a, failed: false) == .accepted(late: false))
        #expect(ledger.isExamined("vda"))
        // The same report twice, or another generation's, is stale.
        #expect(ledger.report("vda", generation: a, failed: false) == .stale)
        #expect(ledger.report("vdb", generation: a, failed: false) == .stale)
        #expect(ledger.report("vdc", generation: 99, failed: false) == .stale)
    }

    @Test func aDeviceThatChangesWhileExaminedIsExaminedAgainAfterwardsNeverTwiceAtOnce() {
        var ledger = DeviceLedger()
        let first = ledger.startExamining("sr0", now: 0)
        #expect(ledger.forgets("sr0", on: "change"))
        ledger.forget("sr0")
        // The running job keeps the device: no second job while it runs.
        #expect(ledger.reconcile(with: ["sr0"]).new.isEmpty)
        #expect(ledger.report("sr0", generation: first, failed: false) == .outdated)
        // Once that job is done, the device is new again.
        #expect(ledger.reconcile(with: ["sr0"]).new == ["sr0"])
    }

    @Test func aFailedDeviceIsLeftAloneUntilRemovedOrRescanned() {
        var ledger = DeviceLedger()
        let generation = ledger.startExamining("sdb", now: 0)
        #expect(ledger.report("sdb", generation: generation, failed: true) == .failed(late: false))
        #expect(!ledger.forgets("sdb", on: "change"))
        #expect(ledger.reconcile(with: ["sdb"]).new.isEmpty)
        #expect(ledger.forgets("sdb", on: "remove"))
        ledger.forget("sdb")
        #expect(ledger.reconcile(with: ["sdb"]).new == ["sdb"])
        // A rescan forgets every device, failed ones too.
        let again = ledger.startExamining("sdb", now: 0)
        _ = ledger.report("sdb", generation: again, failed: true)
        for name in ledger.names { ledger.forget(name) }
        #expect(ledger.reconcile(with: ["sdb"]).new == ["sdb"])
        #expect(!ledger.forgets("sdb", on: "add"))
    }

    @Test func goneDevicesAreForgotten() {
        var ledger = DeviceLedger()
        for name in ["vda", "vdb", "vdc"] { _ = ledger.report(name, generation: ledger.startExamining(name, now: 0), failed: false) }
        #expect(ledger.reconcile(with: ["vdb"]).gone == ["vda", "vdc"])
    }

    @Test func startUpWaitsForThePatienceOfTheYoungestJobAndMarksTheRestLateOnce() {
        var ledger = DeviceLedger()
        let slow = ledger.startExamining("vda", now: 100)
        _ = ledger.startExamining("vdb", now: 900)
        #expect(ledger.patienceLeft(now: 1000, patience: 1500) == 600)  // vda: 1600 - 1000
        #expect(ledger.patienceLeft(now: 1700, patience: 1500) == 700)  // vda ran out; vdb: 2400 - 1700
        #expect(ledger.patienceLeft(now: 2500, patience: 1500) == 0)
        let late = ledger.markLate(now: 2500)
        #expect(late.map(\.name) == ["vda", "vdb"] && late.map(\.milliseconds) == [2400, 1600])
        #expect(ledger.markLate(now: 3000).isEmpty)
        #expect(ledger.report("vda", generation: slow, failed: false) == .accepted(late: true))
    }
}
