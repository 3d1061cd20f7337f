/// Guards against hostile archives. Sizes are what entries inflate to.
public struct ZipLimits: Sendable, Equatable {
    /// The sum of all entries' inflated sizes, declared or actually read.
    public var maxTotalUncompressed: UInt64
    /// One entry's inflated size.
    public var maxEntryUncompressed: UInt64
    /// Inflated size over compressed size, checked for entries that inflate
    /// past `ratioFloor` bytes (a small sheet of empty cells compresses far
    /// better than any real export, and is harmless).
    public var maxRatio: UInt64
    public var ratioFloor: UInt64
    /// Entries in the archive.
    public var maxEntries: Int

    public init(
        maxTotalUncompressed: UInt64 = 1 << 30,
        maxEntryUncompressed: UInt64 = 1 << 30,
        maxRatio: UInt64 = 1000,
        ratioFloor: UInt64 = 16 << 20,
        maxEntries: Int = 10_000
    ) {
        self.maxTotalUncompressed = maxTotalUncompressed
        self.maxEntryUncompressed = maxEntryUncompressed
        self.maxRatio = maxRatio
        self.ratioFloor = ratioFloor
        self.maxEntries = maxEntries
    }

    /// 1 GiB in all, ratio 1000 past 16 MiB, 10,000 entries.
    public static let `default` = ZipLimits()
}
