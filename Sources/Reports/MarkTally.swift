public import Records

/// The marks of one view (a class's subject in a period, a class in a
/// period, the school…) counted by value, and the indicators a deputy head
/// reports: успеваемость, качество знаний, СОУ, средний балл.
///
/// Only five-point marks are assessed marks: `N` is the number of «5»…«1».
/// `н/а`, зачтено / не зачтено and освобожден are counted apart and stay out
/// of every indicator; so do marks two files disagree on (an open conflict).
public struct MarkTally: Sendable, Hashable {
    /// `points[5]` is the number of «5», … `points[1]` of «1».
    public private(set) var points: [Int] = [0, 0, 0, 0, 0, 0]
    public private(set) var notAssessed = 0
    public private(set) var passed = 0
    public private(set) var failed = 0
    public private(set) var exempt = 0
    /// Marks left out because two files disagree and no rule has decided.
    public private(set) var conflicts = 0

    public init() {}

    public mutating func add(_ value: MarkValue) {
        switch value {
        case .points(let n) where (1...5).contains(n): points[n] += 1
        case .points: break
        case .notAssessed: notAssessed += 1
        case .pass: passed += 1
        case .fail: failed += 1
        case .exempt: exempt += 1
        }
    }

    public mutating func addConflict() { conflicts += 1 }

    public mutating func add(_ other: MarkTally) {
        for i in 1...5 { points[i] += other.points[i] }
        notAssessed += other.notAssessed
        passed += other.passed
        failed += other.failed
        exempt += other.exempt
        conflicts += other.conflicts
    }

    /// `N`: marks «5» to «1».
    public var assessed: Int { points[1...5].reduce(0, +) }

    /// Nothing counted at all.
    public var isEmpty: Bool { assessed + notAssessed + passed + failed + exempt + conflicts == 0 }

    /// Успеваемость, %: (n5 + n4 + n3) / N · 100.
    public var progress: Double? { percent(points[5] + points[4] + points[3]) }

    /// Качество знаний, %: (n5 + n4) / N · 100.
    public var quality: Double? { percent(points[5] + points[4]) }

    /// СОУ (степень обученности), %: (n5·100 + n4·64 + n3·36 + n2·16 + n1·7) / N.
    public var degreeOfLearning: Double? {
        guard assessed > 0 else { return nil }
        let weighted = points[5] * 100 + points[4] * 64 + points[3] * 36 + points[2] * 16 + points[1] * 7
        return Double(weighted) / Double(assessed)
    }

    /// Средний балл: (5·n5 + 4·n4 + 3·n3 + 2·n2 + 1·n1) / N.
    public var meanMark: Double? {
        guard assessed > 0 else { return nil }
        return Double((1...5).reduce(0) { $0 + $1 * points[$1] }) / Double(assessed)
    }

    private func percent(_ part: Int) -> Double? {
        assessed > 0 ? Double(part) * 100 / Double(assessed) : nil
    }

    /// The formulas, as the sheets and pages state them.
    public static let formulas: [String] = [
        "N — число выставленных отметок «5», «4», «3», «2», «1» (н/а, зачтено, не зачтено, освобожден и отметки с открытым расхождением между файлами считаются отдельно и в N не входят).",
        "Успеваемость, % = (n5 + n4 + n3) / N × 100.",
        "Качество знаний, % = (n5 + n4) / N × 100.",
        "СОУ (степень обученности), % = (n5·100 + n4·64 + n3·36 + n2·16 + n1·7) / N.",
        "Средний балл = (5·n5 + 4·n4 + 3·n3 + 2·n2 + 1·n1) / N.",
        "Изменение — разность с предыдущим периодом того же года, за который есть отметки (для года — с последней четвертью или полугодием)."
    ]
}

/// Rounds for display and storage: percentages to 0.1, mean marks to 0.01.
enum Rounded {
    static func percent(_ x: Double) -> Double { (x * 10).rounded() / 10 }
    static func mean(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    /// `87,5` as a Russian page writes it (`−3,0` for a fall).
    static func text(_ x: Double, digits: Int) -> String {
        let scale = digits == 1 ? 10 : 100
        let n = Int((x * Double(scale)).rounded())
        let sign = n < 0 ? "−" : ""
        let whole = abs(n) / scale
        let fraction = String(abs(n) % scale)
        return sign + String(whole) + "," + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
