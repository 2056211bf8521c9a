// Tests that background threads hand their results over and wake the thread that polls.

import Testing
@testable import LinuxPlatform

@Suite struct MailboxTests {
    @Test func threadsPostAndThePollerWakes() throws {
        let mailbox = try Mailbox<Int>()
        #expect(Poll.wait([mailbox.descriptor], milliseconds: 0).isEmpty)
        for n in 1...8 {
            try BackgroundThread.start { mailbox.post(n) }
        }
        var received: [Int] = []
        let deadline = Processes.monotonicMilliseconds() + 10_000
        while received.count < 8 && Processes.monotonicMilliseconds() < deadline {
            if Poll.wait([mailbox.descriptor], milliseconds: 1000).contains(mailbox.descriptor) {
                received += mailbox.take()
            }
        }
        #expect(received.sorted() == Array(1...8))
        // Taken messages are gone, and the descriptor is quiet again.
        #expect(mailbox.take().isEmpty)
        #expect(Poll.wait([mailbox.descriptor], milliseconds: 0).isEmpty)
    }
}
