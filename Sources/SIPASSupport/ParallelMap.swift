import Dispatch
import Foundation
import Synchronization

/// Told (replicates done, total) while long work runs; an error it throws stops the work (Ctrl-C in a session).
public typealias ProgressReport = @Sendable (_ done: Int, _ total: Int) throws -> Void

/// How long work runs: on how many threads, and whom to tell how far it got. Carried by the options of every
/// analysis that can use several cores (`CSVReadOptions.threads`, `IndexOptions.execution`, `Bootstrap`, the
/// coverage study), so nothing global decides it. Results never depend on it: work is split into independent
/// pieces (groups, replicates, file pieces) whose results are combined in a fixed order.
public struct Execution: Sendable {
    /// Threads to use, at least 1.
    public var threads: Int
    /// Progress of bootstrap replicates, or nil (library users and pipes).
    public var progress: ProgressReport?

    public init(threads: Int = Execution.defaultThreads, progress: ProgressReport? = nil) {
        self.threads = max(1, threads)
        self.progress = progress
    }

    /// All cores, unless the environment variable `SIPAS_THREADS` asks for fewer (read once, at first use).
    public static let defaultThreads: Int = {
        if let text = ProcessInfo.processInfo.environment["SIPAS_THREADS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}

public enum Parallelism {
    /// Calls `body(index)` for every index in `0..<count` on up to `threads` threads, handing out indices one at
    /// a time so that large and small pieces balance; stops early after the first error and rethrows it.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) throws -> Void) throws {
        let workers = min(threads, count)
        guard workers > 1 else {
            for index in 0..<count { try body(index) }
            return
        }
        let failure = FirstError()
        let next = Counter()
        try withoutActuallyEscaping(body) { body in
            let work = UncheckedClosure(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while !failure.isSet {
                    let index = next.increment() - 1
                    guard index < count else { return }
                    do { try work.body(index) } catch { failure.set(error) }
                }
            }
            if let error = failure.error { throw error }
        }
    }
}

extension Array {
    /// `map` on up to `threads` threads, results in the input's order. Each element is transformed
    /// independently, so the results are the same whatever the number of threads.
    public func parallelMap<T>(threads: Int, _ transform: (Element) throws -> T) throws -> [T] {
        guard count > 1 else { return try map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let buffer = UncheckedBuffer(results)
        try withUnsafeBufferPointer { elements in
            let input = UncheckedBuffer(UnsafeMutableBufferPointer(mutating: elements))
            try Parallelism.forEach(elements.count, threads: threads) { index in buffer.pointer[index] = try transform(input.pointer[index]) }
        }
        return results.map { $0! }
    }
}

/// A buffer written (or read) at distinct indices from concurrent iterations.
package struct UncheckedBuffer<T>: @unchecked Sendable {
    package let pointer: UnsafeMutableBufferPointer<T>
    package init(_ pointer: UnsafeMutableBufferPointer<T>) { self.pointer = pointer }
}

/// A closure called from concurrent iterations; the callers guarantee it only reads shared state or writes
/// distinct indices.
private struct UncheckedClosure<Element, T>: @unchecked Sendable {
    let body: (Element) throws -> T
    init(_ body: @escaping (Element) throws -> T) { self.body = body }
}

/// The first error thrown by any concurrent iteration.
package final class FirstError: Sendable {
    package init() {}
    private let stored = Mutex<Error?>(nil)
    package var isSet: Bool { stored.withLock { $0 != nil } }
    package var error: Error? { stored.withLock { $0 } }
    /// Keeps `error` unless one is kept already.
    package func set(_ error: Error) { stored.withLock { if $0 == nil { $0 = error } } }
}

/// A counter shared by threads (indices handed out, replicates finished).
package final class Counter: Sendable {
    package init() {}
    private let value = Mutex(0)
    /// Adds one and returns the new count.
    package func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// A value handed to another thread whose owner guarantees the two never use it at the same time (the sending
/// thread waits for the receiver to finish before it touches the value again).
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

/// A value shared by threads behind a mutex, as a reference that closures may capture.
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    package init(_ value: Value) { mutex = Mutex(value) }
    package func withLock<T: Sendable>(_ body: (inout sending Value) throws -> sending T) rethrows -> T { try mutex.withLock(body) }
    package var value: Value { mutex.withLock { $0 } }
}
