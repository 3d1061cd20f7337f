import Foundation

/// The repository's own folders, found from this file's place in it, so
/// tests use the real `schemas/` and never anything outside the repository.
public enum RepoPaths {
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static let schemas = root + "/schemas"
    public static let profiles = schemas + "/profiles"

    public static func policy(_ id: String) -> String { schemas + "/policies/\(id).json" }
}
