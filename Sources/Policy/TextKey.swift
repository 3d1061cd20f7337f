/// The form labels are compared in: lower case, `ё` as `е`, letters and
/// digits only. «Ф.И.О.», «ФИО» and «ф и о» are one key; so are «Физ-ра»
/// and «физра».
public enum TextKey {
    public static func compact(_ text: some StringProtocol) -> String {
        // Written as UTF-8 bytes straight away: appending to a String's scalar view
        // one scalar at a time cost more than the rest of header matching.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        func twoBytes(_ v: UInt32) {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
        for s in text.unicodeScalars {
            let v = s.value
            switch v {
            case 0x30...0x39, 0x61...0x7A: out.append(UInt8(v))
            case 0x41...0x5A: out.append(UInt8(v + 32))
            case 0x430...0x44F: twoBytes(v)
            case 0x410...0x42F: twoBytes(v + 32)
            case 0x401, 0x451: twoBytes(0x435) // ё → е
            case 0...0x7F: continue
            default:
                // Rare: other scripts and letters with marks go the slow, general way.
                if s.properties.isAlphabetic || s.properties.numericType != nil {
                    for l in s.properties.lowercaseMapping.unicodeScalars { out.append(contentsOf: l.utf8) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Edit distance between two strings (insertions, deletions, substitutions).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}

/// A named thing of the policy: an id, its Russian label, the section of the
/// regulation it comes from, and the other spellings files use for it.
public struct Term: Sendable, Hashable {
    public var id: String
    public var label: String
    public var section: String?
    public var synonyms: [String]

    public init(id: String, label: String, section: String? = nil, synonyms: [String] = []) {
        self.id = id
        self.label = label
        self.section = section
        self.synonyms = synonyms
    }

    /// The label and every synonym, as compact keys.
    public var keys: [String] { ([label] + synonyms).map(TextKey.compact).filter { !$0.isEmpty } }
}

/// Finds terms by any of their spellings, and suggests the nearest when none matches.
public struct TermIndex: Sendable {
    public let terms: [Term]
    private let byKey: [String: Int]
    private let byID: [String: Int]

    /// Fails with the key two terms share.
    init(_ terms: [Term]) throws(PolicyIndexConflict) {
        self.terms = terms
        var byKey: [String: Int] = [:]
        var byID: [String: Int] = [:]
        for (i, term) in terms.enumerated() {
            if byID[term.id] != nil { throw PolicyIndexConflict(key: term.id, first: term.id, second: term.id, isID: true) }
            byID[term.id] = i
            for key in term.keys {
                if let other = byKey[key], other != i {
                    throw PolicyIndexConflict(key: key, first: terms[other].id, second: term.id, isID: false)
                }
                byKey[key] = i
            }
        }
        self.byKey = byKey
        self.byID = byID
    }

    /// The term whose label or synonym is `text` (compared as compact keys).
    public func match(_ text: some StringProtocol) -> Term? {
        byKey[TextKey.compact(text)].map { terms[$0] }
    }

    public func term(id: String) -> Term? { byID[id].map { terms[$0] } }

    public func contains(id: String) -> Bool { byID[id] != nil }

    /// The nearest term by edit distance on compact keys (and prefix), when
    /// close enough to be a likely typo or abbreviation.
    public func nearest(_ text: some StringProtocol) -> Term? {
        let key = TextKey.compact(text)
        guard !key.isEmpty else { return nil }
        var best: (distance: Int, index: Int)?
        for (k, i) in byKey {
            var d = TextKey.distance(key, k)
            if k.hasPrefix(key) || key.hasPrefix(k) { d = min(d, 1) }
            if best == nil || d < best!.distance || (d == best!.distance && terms[i].id < terms[best!.index].id) { best = (d, i) }
        }
        guard let best, best.distance <= max(2, key.count / 3) else { return nil }
        return terms[best.index]
    }

    public var labels: [String] { terms.map(\.label) }
}

/// Two terms of one list share a spelling or an id.
struct PolicyIndexConflict: Error {
    var key: String
    var first: String
    var second: String
    var isID: Bool
}
