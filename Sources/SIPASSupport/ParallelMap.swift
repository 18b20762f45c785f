import Dispatch
import Foundation

/// How many threads the analyses use: all cores unless the environment variable `SIPAS_THREADS` (or the
/// library user) sets fewer. Results never depend on it: work is split into independent pieces (groups,
/// replicates) whose results are combined in a fixed order.
public enum Parallelism {
    nonisolated(unsafe) public static var threads: Int = {
        if let text = ProcessInfo.processInfo.environment["SIPAS_THREADS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body(index)` for every index in `0..<count` on up to `threads` threads, handing out indices one at
    /// a time so that large and small pieces balance; stops early after the first error and rethrows it.
    public static func forEach(_ count: Int, _ body: (Int) throws -> Void) throws {
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
    /// `map` on up to `Parallelism.threads` threads, results in the input's order. Each element is transformed
    /// independently, so the results are the same whatever the number of threads.
    public func parallelMap<T>(_ transform: (Element) throws -> T) throws -> [T] {
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
            try Parallelism.forEach(elements.count) { index in buffer.pointer[index] = try transform(input.pointer[index]) }
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
package final class FirstError: @unchecked Sendable {
    package init() {}
    private let lock = DispatchSemaphore(value: 1)
    private var stored: Error?
    package var isSet: Bool { lock.wait(); defer { lock.signal() }; return stored != nil }
    package var error: Error? { lock.wait(); defer { lock.signal() }; return stored }
    package func set(_ error: Error) { lock.wait(); if stored == nil { stored = error }; lock.signal() }
}

/// A counter shared by threads (indices handed out, replicates finished).
package final class Counter: @unchecked Sendable {
    package init() {}
    private let lock = DispatchSemaphore(value: 1)
    private var value = 0
    package func increment() -> Int { lock.wait(); value += 1; let result = value; lock.signal(); return result }
}
