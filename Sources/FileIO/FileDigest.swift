import Crypto
public import Digest

extension SHA256Hex {
    /// SHA-256 of a file, read in chunks.
    public static func of(file path: String) throws(FileError) -> String {
        var hasher = SHA256()
        try Files.forEachChunk(path) { hasher.update(bufferPointer: $0) }
        return of(digest: hasher.finalize())
    }
}
