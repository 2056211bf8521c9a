// Runs work on a detached POSIX thread: probing a device may block in the kernel for as long as
// the device takes, and the menu must not wait for it.

import Glibc

public enum BackgroundThread {
    /// Holds the work while the new thread starts; the thread takes ownership of it.
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread (nobody joins it; it ends when `body` returns).
    public static func start(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Work>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, work)
        guard rc == 0 else {
            Unmanaged<Work>.fromOpaque(work).release()
            throw SystemError("pthread_create", errno: rc)
        }
        pthread_detach(thread)
    }
}
