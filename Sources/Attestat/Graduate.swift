public import CivilDate
public import Ledger
public import Records

/// One mark that went into a final mark, and where it came from.
public struct Component: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case annual
        case period
        case exam
    }

    /// `год 2025/2026`, `ОГЭ`, `1 полугодие 2024/2025`.
    public var label: String
    public var value: MarkValue
    public var kind: Kind
    public var file: String
    public var cell: String?

    /// `год 2025/2026: 4 (Ведомость 9А.xlsx, 9А!K5)`.
    public var description: String {
        "\(label): \(value) (\(file)\(cell.map { ", \($0)" } ?? ""))"
    }

    /// The same mark under another label; a rule's decision stays said.
    func with(label: String) -> Component {
        var copy = self
        if let rule = copy.label.range(of: " (по правилу") ?? copy.label.range(of: " (решение по конфликту") {
            copy.label = label + copy.label[rule.lowerBound...]
        } else {
            copy.label = label
        }
        return copy
    }
}

/// A student's final mark in a subject, with what it was computed from, or
/// no mark and the reason.
public struct FinalMark: Sendable {
    public var subject: String
    public var label: String
    public var value: MarkValue?
    public var components: [Component]
    /// `(3 + 4) / 2 = 7/2 = 3,5 → 4`, `годовая отметка 8 класса (2024/2025)`.
    public var formula: String
    /// Why there is no mark (a missing component, `н/а`, no result, an open conflict).
    public var problem: String?
    public var isExamSubject: Bool
    /// Not set because the student failed (an exam below its minimum): the attestat is not issued.
    public var barred = false

    static func missing(_ subject: String, _ label: String, _ problem: String, components: [Component] = [], exam: Bool = false) -> FinalMark {
        FinalMark(subject: subject, label: label, value: nil, components: components, formula: "", problem: problem, isExamSubject: exam)
    }
}

/// A point the deputy head must look at.
public struct AttestatFlag: Sendable, Hashable {
    public var subject: String?
    public var message: String
    public var action: String
    /// The attestat cannot be issued until this is settled.
    public var blocks: Bool
}

/// Whether the state final assessment (ГИА) is passed, subject by subject.
public struct GIAResult: Sendable {
    public enum Status: Sendable, Hashable {
        case passed
        /// A result below its minimum: no attestat.
        case failed
        /// A result has not come in (or cannot be read): not decided yet.
        case pending
    }

    public var status: Status
    /// Each subject's decision: `Русский язык: ЕГЭ 72 балла (не ниже 24) — сдан`.
    public var lines: [String]
    /// Why it is not passed.
    public var failures: [String]
    /// What is still missing.
    public var missing: [String]
    /// A result was obtained at a retake (or after an earlier result).
    public var retook: Bool
}

/// An honours decision and every condition it rested on.
public struct HonoursDecision: Sendable {
    /// The award (`аттестат с отличием`, a medal), or `nil`.
    public var award: String?
    public var attestat: String?
    /// Each condition checked: `все итоговые отметки «отлично» — да`.
    public var conditions: [String]
    /// A candidate failing exactly one condition of an award, and which.
    public var nearMiss: String?

    static let none = HonoursDecision(award: nil, attestat: nil, conditions: [], nearMiss: nil)
}

/// A graduate's final marks, ГИА, honours, and what keeps the attestat back.
public struct Graduate: Sendable {
    public enum Outcome: Sendable, Hashable {
        /// Every final mark present and ≥ 3, ГИА passed: the attestat is issued.
        case ready
        /// Something has not come in: flagged on «Замечания».
        case pending
        /// Not passed, or an annual or final «2»/«1»: a справка об обучении instead.
        case withoutAttestat
    }

    public var record: StudentRecord
    public var schoolClass: String
    public var grade: Int
    public var marks: [FinalMark]
    public var gia: GIAResult
    /// Why the student gets no attestat; empty when nothing bars it.
    public var failures: [String]
    public var honours: HonoursDecision
    public var flags: [AttestatFlag]

    public var complete: Bool { marks.allSatisfy { $0.value != nil } }

    public var outcome: Outcome {
        if !failures.isEmpty { return .withoutAttestat }
        return flags.contains { $0.blocks } || !complete || gia.status != .passed ? .pending : .ready
    }

    public func final(_ subject: String) -> FinalMark? { marks.first { $0.subject == subject } }
}

/// A student of a graduating class who left before the year's end: no attestat from this school.
public struct Leaver: Sendable {
    public var record: StudentRecord
    public var left: CivilDate
}
