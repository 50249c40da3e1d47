import AnankorCore
import Synchronization

/// The answers this hold gave to music session jobs lately, by envelope id: a copy of a job this
/// process already answered (its bus acknowledgement failed, so the bus delivered it again) is
/// answered the same way without acting again. Bounded: the oldest answers go first, long after
/// any copy could come (the bus hands a message out again only after `reclaimIdle`).
final class AnsweredJobs: Sendable {
    private struct Memory {
        var answers: [EnvelopeID: JobAnswer] = [:]
        var order: [EnvelopeID] = []
        var start = 0
    }

    private let memory = Mutex(Memory())
    let capacity: Int

    init(capacity: Int = 4_096) { self.capacity = max(1, capacity) }

    func answer(to id: EnvelopeID) -> JobAnswer? { memory.withLock { $0.answers[id] } }

    func remember(_ answer: JobAnswer, for id: EnvelopeID) {
        memory.withLock { memory in
            if memory.answers.updateValue(answer, forKey: id) != nil { return }
            memory.order.append(id)
            if memory.order.count - memory.start > capacity {
                memory.answers[memory.order[memory.start]] = nil
                memory.start += 1
                if memory.start > capacity {  // compact now and then, not on every answer
                    memory.order.removeFirst(memory.start)
                    memory.start = 0
                }
            }
        }
    }
}
