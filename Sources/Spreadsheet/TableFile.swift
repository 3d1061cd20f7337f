/// Which reader a file needs, told from its first bytes, not its name.
public enum TableFileKind: Sendable, Equatable {
    case xlsx
    case csv
    /// An OLE compound document: a password-protected workbook or a legacy `.xls`.
    case ole

    /// Looks at the file's signature: `PK` is a zip (XLSX), `D0 CF 11 E0` is
    /// OLE; a file named `.xlsx`/`.xlsm` is read as XLSX whatever it holds
    /// (so the zip reader explains what is wrong); anything else is CSV.
    public static func of(path: String) throws -> TableFileKind {
        let file = try ChunkFile(path: path, fileName: displayName(path))
        var head = [UInt8](repeating: 0, count: 8)
        let n = try head.withUnsafeMutableBytes { try file.read(into: $0) }
        if n >= 4, head[0] == 0x50, head[1] == 0x4B, head[2] == 0x03 || head[2] == 0x05 { return .xlsx }
        if n >= 8, head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] { return .ole }
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        return .csv
    }
}
