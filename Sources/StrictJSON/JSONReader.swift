/// A configuration or data file that does not say what it must: where
/// (file and path inside it) and what, in Russian.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// `resultGroups[2].categories[0].label`, empty for the document itself.
    public var path: String
    public var message: String

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
    }
}

/// Reads one JSON object field by field and refuses keys nobody asked for
/// (`finish()`), so a misspelt key in a policy is an error that names it
/// instead of a silently ignored setting.
public final class JSONObjectReader {
    public let file: String
    public let path: String
    private let members: [(key: String, value: JSONValue)]
    private var used: Set<String> = []
    private var asked: Set<String> = []

    public init(_ value: JSONValue, file: String, path: String = "") throws(SchemaError) {
        guard case .object(let members) = value else {
            throw SchemaError(file: file, path: path, message: "ожидался объект JSON, а здесь \(value.kindName)")
        }
        self.file = file
        self.path = path
        self.members = members
    }

    /// Parses `bytes` and reads the top-level object.
    public static func document(_ bytes: [UInt8], file: String) throws(SchemaError) -> JSONObjectReader {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw SchemaError(file: file, path: "", message: "не JSON: \(error)")
        }
        return try JSONObjectReader(value, file: file)
    }

    /// Keys present in the object, in order.
    public var keys: [String] { members.map(\.key) }

    public func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func fail(_ key: String?, _ message: String) -> SchemaError {
        SchemaError(file: file, path: key.map(child) ?? path, message: message)
    }

    /// The raw value of `key`, marking it used.
    public func value(_ key: String) -> JSONValue? {
        asked.insert(key)
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        if case .null = member.value { return nil }
        return member.value
    }

    private func require(_ key: String) throws(SchemaError) -> JSONValue {
        guard let v = value(key) else { throw fail(key, "нет обязательного ключа «\(key)»") }
        return v
    }

    public func string(_ key: String) throws(SchemaError) -> String {
        guard let s = try optionalString(key) else { throw fail(key, "нет обязательного ключа «\(key)»") }
        return s
    }

    public func optionalString(_ key: String) throws(SchemaError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw fail(key, "ожидалась строка, а здесь \(v.kindName)") }
        return s
    }

    public func int(_ key: String) throws(SchemaError) -> Int {
        guard let n = try optionalInt(key) else { throw fail(key, "нет обязательного ключа «\(key)»") }
        return n
    }

    public func optionalInt(_ key: String) throws(SchemaError) -> Int? {
        guard let v = value(key) else { return nil }
        guard case .number(let d) = v, d == d.rounded(), abs(d) < 1e15 else { throw fail(key, "ожидалось целое число, а здесь \(v.kindName)") }
        return Int(d)
    }

    public func optionalDouble(_ key: String) throws(SchemaError) -> Double? {
        guard let v = value(key) else { return nil }
        guard case .number(let d) = v else { throw fail(key, "ожидалось число, а здесь \(v.kindName)") }
        return d
    }

    public func bool(_ key: String, default fallback: Bool) throws(SchemaError) -> Bool {
        guard let v = value(key) else { return fallback }
        guard case .bool(let b) = v else { throw fail(key, "ожидалось true или false, а здесь \(v.kindName)") }
        return b
    }

    public func strings(_ key: String) throws(SchemaError) -> [String] {
        guard let v = value(key) else { return [] }
        guard case .array(let items) = v else { throw fail(key, "ожидался список строк, а здесь \(v.kindName)") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw fail("\(key)[\(i)]", "ожидалась строка, а здесь \(item.kindName)") }
            out.append(s)
        }
        return out
    }

    public func object(_ key: String) throws(SchemaError) -> JSONObjectReader {
        try JSONObjectReader(try require(key), file: file, path: child(key))
    }

    public func optionalObject(_ key: String) throws(SchemaError) -> JSONObjectReader? {
        guard let v = value(key) else { return nil }
        return try JSONObjectReader(v, file: file, path: child(key))
    }

    /// A list of objects; each element must be read and finished by the caller.
    public func objects(_ key: String, required: Bool = false) throws(SchemaError) -> [JSONObjectReader] {
        guard let v = value(key) else {
            if required { throw fail(key, "нет обязательного ключа «\(key)»") }
            return []
        }
        guard case .array(let items) = v else { throw fail(key, "ожидался список объектов, а здесь \(v.kindName)") }
        var out: [JSONObjectReader] = []
        for (i, item) in items.enumerated() { out.append(try JSONObjectReader(item, file: file, path: "\(child(key))[\(i)]")) }
        return out
    }

    /// An object used as a map from names to objects (`"fields": {"student": {…}}`).
    public func namedObjects(_ key: String) throws(SchemaError) -> [(name: String, reader: JSONObjectReader)] {
        guard let v = value(key) else { return [] }
        guard case .object(let members) = v else { throw fail(key, "ожидался объект, а здесь \(v.kindName)") }
        var out: [(name: String, reader: JSONObjectReader)] = []
        for member in members { out.append((member.key, try JSONObjectReader(member.value, file: file, path: "\(child(key)).\(member.key)"))) }
        return out
    }

    /// Refuses keys that were never read.
    public func finish() throws(SchemaError) {
        if let unknown = members.first(where: { !used.contains($0.key) }) {
            throw fail(unknown.key, "неизвестный ключ «\(unknown.key)»; допустимые здесь: \(asked.sorted().joined(separator: ", "))")
        }
    }
}
