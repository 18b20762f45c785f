import Foundation

/// A bounded queue of chunks from one producer thread to one consumer: the producer blocks while `capacity`
/// chunks wait, so memory stays at `capacity` chunks however large the stream. Either side can stop the other:
/// the producer by finishing (with an error or not), the consumer by cancelling, after which `put` throws.
final class ChunkPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var finished = false, cancelled = false
    private var failure: Error?
    private let capacity: Int

    struct Cancelled: Error {}

    init(capacity: Int) { self.capacity = capacity }

    /// Adds a chunk, waiting while the queue is full; throws once the consumer has cancelled.
    func put(_ chunk: Data) throws {
        condition.lock(); defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// Ends the stream (with the producer's error, if any).
    func finish(_ error: Error?) {
        condition.lock(); defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// The next chunk, nil at the end of the stream; rethrows the producer's error.
    func take() throws -> Data? {
        condition.lock(); defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the producer: its next `put` throws.
    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        chunks.removeAll()
        condition.broadcast()
    }

    /// Waits until the producer has finished.
    func waitUntilFinished() {
        condition.lock(); defer { condition.unlock() }
        while !finished { condition.wait() }
    }
}
