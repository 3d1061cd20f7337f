/// Independent pieces of work spread over the machine's cores: a task per
/// piece, at most `width` running at once, results in the order of the pieces.
public enum Parallel {
    public static func map<T: Sendable>(_ count: Int, width: Int = Machine.cores, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            var slots = [T?](repeating: nil, count: count)
            var next = 0
            func start() {
                let i = next
                group.addTask { (i, body(i)) }
                next += 1
            }
            while next < min(count, max(1, width)) { start() }
            for await (i, result) in group {
                slots[i] = result
                if next < count { start() }
            }
            return slots.map { $0! }
        }
    }

    /// The same, for work that may fail: each piece's result or error.
    public static func map<T: Sendable>(
        _ count: Int, width: Int = Machine.cores,
        _ body: @escaping @Sendable (Int) throws -> T
    ) async -> [Result<T, any Error>] {
        await map(count, width: width) { i in Result { try body(i) } }
    }
}
