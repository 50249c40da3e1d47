/// A queue a test can wait on with a deadline, so nothing ever hangs.
actor Mailbox<Item: Sendable> {
    private var items: [Item] = []
    private var waiter: (id: Int, continuation: CheckedContinuation<Item?, Never>)?
    private var nextWaiterID = 0
    private var finished = false

    func put(_ item: Item) {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: item)
        } else {
            items.append(item)
        }
    }

    func finish() {
        finished = true
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: nil)
        }
    }

    /// The next item, or nil when the deadline passes or the mailbox is finished.
    func take(timeout: Duration) async -> Item? {
        if !items.isEmpty { return items.removeFirst() }
        if finished { return nil }
        nextWaiterID += 1
        let id = nextWaiterID
        return await withCheckedContinuation { continuation in
            waiter = (id, continuation)
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }
}
