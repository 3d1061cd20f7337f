import CivilDate
import Records

/// The graduates the demo school plants, so each rule of the attestat shows
/// in its sheets: a registration without a result, an ОГЭ «2», an annual «2»,
/// a retake, a student who left mid-year, a transfer without 10th-grade marks,
/// a ГВЭ medal, a basic-mathematics «2» with otherwise medal-worthy marks, and
/// a 9th-grade class taught «Математика» rather than its three courses.
/// Students are picked by position, so a small school plants fewer.
struct AttestatCases {
    /// A chosen ОГЭ subject: «не явился», no result.
    var noShow: String?
    /// Annual «5» in a chosen subject, ОГЭ «2» in it: no attestat.
    var ogeTwo: String?
    /// An annual «2»: no attestat.
    var annualTwo: String?
    /// ОГЭ mathematics «2», then «4» at the retake: passed, no honours.
    var retake: String?
    /// Left on `leftOn`: not a graduate, no register number.
    var left: String?
    let leftOn = CivilDate(year: 2026, month: 2, day: 13)!
    /// An 11th grader whose 10th-grade marks have not come in.
    var transfer: String?
    /// Every mark «5», ГВЭ in Russian and mathematics «5»: medal I by the ГВЭ route.
    var gveMedal: String?
    /// Every mark «5», ЕГЭ Russian and physics high, basic mathematics «2»: ГИА not passed, no medal.
    var basicTwo: String?
    /// The 9th-grade class taught «Математика» itself (the second one, where there are two).
    var mathematicsClass: SchoolClass?
    /// The subject of the annual «2» (never an exam subject).
    static let annualTwoSubject = "Основы безопасности и защиты Родины"

    init(_ school: School) {
        let nine = school.classes.filter { $0.grade == 9 }.flatMap { school.students(in: $0) }
        let eleven = school.classes.filter { $0.grade == 11 }.flatMap { school.students(in: $0) }
        func pick(_ list: [School.Student], _ i: Int) -> String? { i < list.count ? list[i].journalID : nil }
        noShow = pick(nine, 1)
        ogeTwo = pick(nine, 2)
        annualTwo = pick(nine, 3)
        left = pick(nine, 4)
        retake = pick(nine, 5)
        transfer = pick(eleven, 1)
        gveMedal = pick(eleven, 2)
        basicTwo = pick(eleven, 3)
        let ninth = school.classes.filter { $0.grade == 9 }
        mathematicsClass = ninth.count > 1 ? ninth[1] : nil
    }

    /// Students whose marks are all «5».
    var excellent: Set<String> { Set([gveMedal, basicTwo].compactMap { $0 }) }

    /// Every planted student.
    var planted: Set<String> { Set([noShow, ogeTwo, annualTwo, retake, left, transfer, gveMedal, basicTwo].compactMap { $0 }) }

    /// What the demo's report lists, by student id.
    var list: [(who: String, what: String)] {
        var out: [(String, String)] = []
        if let id = noShow {
            out.append((id, "9 класс: ОГЭ по второму предмету по выбору — «не явился»: итоговая отметка не выставляется, аттестат ждёт результата"))
        }
        if let id = ogeTwo { out.append((id, "9 класс: годовая «5», ОГЭ «2» по предмету по выбору: без аттестата")) }
        if let id = annualTwo { out.append((id, "9 класс: годовая «2» (\(AttestatCases.annualTwoSubject)): без аттестата")) }
        if let id = retake { out.append((id, "9 класс: ОГЭ по математике «2», на пересдаче «4»: засчитывается пересдача")) }
        if let id = left { out.append((id, "9 класс: выбыл(а) \(leftOn.russian): не выпускник, номера в книге нет")) }
        if let id = transfer { out.append((id, "11 класс: прибыл без отметок за 10 класс: отметки не выставляются, замечание")) }
        if let id = gveMedal { out.append((id, "11 класс: все «5», ГВЭ по русскому языку и математике «5»: медаль I степени")) }
        if let id = basicTwo { out.append((id, "11 класс: все «5», ЕГЭ по базовой математике «2»: ГИА не пройдена, без аттестата и медали")) }
        if let c = mathematicsClass { out.append((c.description, "9 класс изучает «Математику», а не три курса")) }
        return out
    }
}
