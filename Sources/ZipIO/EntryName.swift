/// Entry names that would leave a folder when extracted are refused, on
/// reading and on writing: absolute paths, drive letters, `..` components.
public enum EntryName {
    /// Why the name is unsafe, in Russian, or `nil` when it is fine.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "пустое имя записи" }
        if name.utf8.contains(0) { return "имя записи содержит нулевой байт" }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "абсолютный путь в имени записи" }
        let bytes = Array(name.utf8)
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"),
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0] & 0xDF)
        {
            return "имя записи начинается с буквы диска"
        }
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "имя записи содержит «..» и выходит за пределы архива" }
        return nil
    }
}
