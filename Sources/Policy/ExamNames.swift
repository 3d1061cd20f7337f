public import Records

/// How a state exam's results may name a subject taken at a level (ЕГЭ
/// mathematics: «Математика (профильный уровень)», «Математика Б»), and the
/// words a row carries instead of a result («не явился»). From
/// `schemas/attestat-rules.json` (`examResults`); the exam import reads them.
public struct ExamNames: Sendable {
    /// A subject taken at a level, and what its result is.
    public struct Level: Sendable, Hashable {
        public enum Result: String, Sendable {
            /// A 100-point test score (ЕГЭ profile mathematics).
            case testScore
            /// A five-point mark (ЕГЭ basic mathematics).
            case mark
        }

        public var subject: String
        public var form: ExamForm
        /// `профильный`, `базовый`: what the ledger stores.
        public var level: String
        public var result: Result
        /// Subject names that carry the level (`Математика П`).
        public var names: [String]
        /// Spellings of the level in a column of its own (`профильный уровень`, `П`).
        public var spellings: [String]

        public init(subject: String, form: ExamForm, level: String, result: Result, names: [String], spellings: [String]) {
            self.subject = subject
            self.form = form
            self.level = level
            self.result = result
            self.names = names
            self.spellings = spellings
        }
    }

    public let levels: [Level]
    /// Words that stand for a registration without a result.
    public let noResultWords: [String]
    private let byName: [String: Int]
    private let noResultKeys: Set<String>

    /// Fails with the spelling two levels share.
    public init(levels: [Level], noResultWords: [String]) throws(ExamNameConflict) {
        var byName: [String: Int] = [:]
        for (i, level) in levels.enumerated() {
            for name in level.names {
                let key = TextKey.compact(name)
                if let other = byName[key], other != i { throw ExamNameConflict(name: name) }
                byName[key] = i
            }
        }
        self.levels = levels
        self.noResultWords = noResultWords
        self.byName = byName
        noResultKeys = Set(noResultWords.map(TextKey.compact))
    }

    /// No level names, no words: every exam subject must be a policy subject, every row a result.
    public static let none = try! ExamNames(levels: [], noResultWords: [])

    /// The level a subject name carries (`Математика профильного уровня`).
    public func level(named text: some StringProtocol) -> Level? {
        byName[TextKey.compact(text)].map { levels[$0] }
    }

    /// The levels a subject is taken at in a form.
    public func levels(subject: String, form: ExamForm) -> [Level] {
        levels.filter { $0.subject == subject && $0.form == form }
    }

    /// The level a level column's text names, for a subject and form.
    public func level(spelling text: some StringProtocol, subject: String, form: ExamForm) -> Level? {
        let key = TextKey.compact(text)
        return levels(subject: subject, form: form).first { l in ([l.level] + l.spellings).contains { TextKey.compact($0) == key } }
    }

    /// True when a cell says there is no result (`не явился`, `Неявка`, `удалена`).
    public func isNoResult(_ text: some StringProtocol) -> Bool {
        !noResultKeys.isEmpty && noResultKeys.contains(TextKey.compact(text))
    }

    /// The level name nearest to `text`, with its edit distance on compact keys.
    public func nearestName(_ text: some StringProtocol) -> (name: String, distance: Int)? {
        let key = TextKey.compact(text)
        guard !key.isEmpty else { return nil }
        var best: (name: String, distance: Int)?
        for level in levels {
            for name in level.names {
                let d = TextKey.distance(key, TextKey.compact(name))
                if best == nil || d < best!.distance { best = (name, d) }
            }
        }
        return best
    }
}

/// Two exam levels share a subject name.
public struct ExamNameConflict: Error, Sendable {
    public var name: String
}
