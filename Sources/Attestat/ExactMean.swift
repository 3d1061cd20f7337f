/// A mean kept as an exact fraction and rounded once, at the end, by the
/// ordinary rounding of arithmetic: x.5 up, below .5 down. No floating point.
struct ExactMean {
    var numerator: Int
    var denominator: Int

    /// The rounded value.
    var rounded: Int { (2 * numerator + denominator) / (2 * denominator) }

    /// `7/2 = 3,5`, `26/6 ≈ 4,33`, `8/2 = 4`.
    var text: String {
        let hundredths = numerator * 100
        if hundredths % denominator == 0 { return "\(numerator)/\(denominator) = \(ExactMean.decimal(hundredths / denominator))" }
        return "\(numerator)/\(denominator) ≈ \(ExactMean.decimal((2 * hundredths + denominator) / (2 * denominator)))"
    }

    /// `3,5` from 350, `4` from 400, `4,33` from 433.
    static func decimal(_ hundredths: Int) -> String {
        let whole = hundredths / 100
        let f = hundredths % 100
        if f == 0 { return "\(whole)" }
        return f % 10 == 0 ? "\(whole),\(f / 10)" : "\(whole),\(f < 10 ? "0" : "")\(f)"
    }
}
