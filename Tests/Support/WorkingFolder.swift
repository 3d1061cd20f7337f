import Foundation

/// A school's working folder for a test: pipeline.json naming the repository's
/// policy, profiles and schemas for the 2025/2026 year, with `extra` JSON members
/// appended (`,\n  "sources": {…}`); with `inbox`, an empty inbox made too.
public func workingFolder(
    _ prefix: String = "uchet-work", policy: String = "maou-sosh-134", extra: String = "", schemas: String = RepoPaths.schemas,
    inbox: Bool = false
) throws -> TemporaryDirectory {
    let dir = TemporaryDirectory(prefix)
    try dir.write(
        "pipeline.json",
        text: """
            {
              "school": {"name": "Тестовая школа", "code": "test"},
              "policy": "\(RepoPaths.policy(policy))",
              "profiles": "\(RepoPaths.profiles)",
              "paths": {"schemas": "\(schemas)"},
              "academicYear": "2025/2026"\(extra)
            }
            """)
    if inbox { try FileManager.default.createDirectory(atPath: dir.file("inbox"), withIntermediateDirectories: true) }
    return dir
}
