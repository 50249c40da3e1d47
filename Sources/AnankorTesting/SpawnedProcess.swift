import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn` whose child keeps only stdin (/dev/null), stdout and
/// stderr (its log file): every other descriptor is closed in the child before the program runs.
///
/// Why not Foundation's `Process`: on Linux it closes the parent's descriptors in the child only up
/// to the highest one open when it builds the spawn, and leaves open a socket of its own whose end
/// tells it the child exited. Two spawns at once from different threads therefore hand the second
/// child that socket of the first (and any socket opened meanwhile). The first process's exit is
/// then never seen while the second lives — a redis-server or moto_server living for a whole test
/// run — so `waitUntilExit()` never returns, and a stage's stop waits on a connection the second
/// child still holds. The exit here is read with `waitpid`.
public final class SpawnedProcess: Sendable {
    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    public let processIdentifier: Int32
    /// The raw wait status once the child has been reaped.
    private let exit = Mutex<Int32?>(nil)

    /// Starts `executable` (a path, or a name looked up on PATH) with `arguments`, the environment `environment`
    /// (complete, not merged), in `workingDirectory`, appending stdout and stderr to `logPath`.
    public init(executable: String, arguments: [String], environment: [String: String],
                workingDirectory: String? = nil, logPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard let closeFrom = GNUSpawnActions.closeFrom else {
            throw SpawnError(description: "this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later)")
        }
        closeFrom(&actions, 3)
        if let workingDirectory {
            guard let changeDirectory = GNUSpawnActions.changeDirectory else {
                throw SpawnError(description: "this C library has no posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)")
            }
            changeDirectory(&actions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Test-runner threads block SIGTERM, and the Swift runtime ignores SIGPIPE; a child must
        // start with neither, or it cannot be stopped gracefully.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Its own process group, as Foundation's: a terminal's Ctrl-C reaches only the test runner.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        // A bare name is looked up on PATH.
        let result = executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SpawnError(description: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
    }

    /// Whether the child still runs (reaps it once it has exited).
    public var isRunning: Bool {
        exit.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            if result == processIdentifier {
                status = raw
            } else if result == -1, errno == ECHILD {
                status = 0  // reaped elsewhere: gone all the same
            }
            return status == nil
        }
    }

    /// The exit code, or the signal number that ended it; 0 while it runs.
    public var terminationStatus: Int32 {
        guard !isRunning, let raw = exit.withLock({ $0 }) else { return 0 }
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : signal
    }

    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        Glibc.kill(processIdentifier, signal)
    }

    /// SIGTERM, without waiting.
    public func terminate() { signal(SIGTERM) }

    /// Blocks until the child has exited. Callers signal it first; a SIGKILLed child is gone at once.
    public func waitUntilExit() {
        while isRunning { usleep(2_000) }
    }

    /// Waits without blocking a thread until the child has exited or `limit` passed; whether it exited.
    public func exited(within limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while isRunning {
            guard clock.now < deadline else { return false }
            do { try await clock.sleep(for: .milliseconds(5)) } catch { return !isRunning }
        }
        return true
    }

    /// SIGTERM, then SIGKILL when the process is still there after `grace`; waits for the exit.
    public func terminate(grace: Duration) {
        guard isRunning else { return }
        terminate()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while isRunning, clock.now < deadline { usleep(5_000) }
        killAndWait()
    }

    /// SIGKILL (a crash) and wait for the exit.
    public func killAndWait() {
        signal(SIGKILL)
        waitUntilExit()
    }
}

/// glibc's spawn actions that Swift's Glibc module does not import (they are GNU extensions),
/// bound at run time.
private enum GNUSpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
