import Foundation
import StrictJSON
import TestSupport
import Testing
@testable import Policy
@testable import Records

func loadPolicy(_ id: String) throws -> Policy {
    try Policy.load(path: RepoPaths.policy(id), displayName: "\(id).json")
}

@Suite struct BundledPoliciesTests {
    @Test func bothRegulationsLoad() throws {
        let a = try loadPolicy("maou-sosh-134")
        let b = try loadPolicy("mou-sosh-2")
        #expect(a.school == "МАОУ СОШ № 134")
        #expect(b.school.contains("№ 2"))
    }

    @Test func theyDifferWhereTheRegulationsDo() throws {
        let a = try loadPolicy("maou-sosh-134")
        let b = try loadPolicy("mou-sosh-2")
        // МАОУ СОШ № 134 has pre-professional programmes as a result group; МОУ СОШ № 2 does not.
        #expect(a.group(id: "preprofessional") != nil)
        #expect(b.group(id: "preprofessional") == nil)
        // Three groups of universal learning actions against four.
        #expect(a.group(id: "metasubject")?.categories.terms.map(\.id) == ["regulative", "cognitive", "communicative"])
        #expect(b.group(id: "metasubject")?.categories.terms.map(\.id) == ["personal-actions", "reflexive", "cognitive", "communicative"])
        // Material support (6.3) only in МОУ СОШ № 2.
        #expect(a.materialSupportSection == nil)
        #expect(b.materialSupportSection == "6.3")
        #expect(b.encouragementKinds.match("материальная помощь")?.section == "6.3")
        #expect(a.encouragementKinds.match("материальная помощь") == nil)
        // Tolerance is a personal result only in МАОУ СОШ № 134's list.
        #expect(a.group(id: "personal")?.categories.contains(id: "tolerance") == true)
        #expect(b.group(id: "personal")?.categories.contains(id: "tolerance") == false)
    }

    @Test func everyCategoryCarriesItsSection() throws {
        for id in ["maou-sosh-134", "mou-sosh-2"] {
            let p = try loadPolicy(id)
            for group in p.groups {
                #expect(group.section != nil)
                for category in group.categories.terms { #expect(category.section?.hasPrefix("3.2") == true, "\(group.id).\(category.id)") }
            }
        }
    }

    @Test func vocabulariesFindSynonymsAndSuggestNearest() throws {
        let p = try loadPolicy("maou-sosh-134")
        #expect(p.subjects.match("Физ-ра")?.label == "Физическая культура")
        #expect(p.subjects.match("ФИЗКУЛЬТУРА")?.id == "physical-education")
        #expect(p.subjects.match("рус. яз.")?.id == "russian")
        #expect(p.subjects.match("Алгебраа") == nil)
        #expect(p.subjects.nearest("Алгебраа")?.label == "Алгебра")
        #expect(p.subjects.nearest("Геометри")?.label == "Геометрия")
        #expect(p.period(matching: "I четверть")?.id == "q1")
        #expect(p.period(matching: "2 п/г")?.id == "h2")
        #expect(p.period(matching: "Итог")?.kind == .final)
        #expect(p.period(matching: "годовая")?.markKind == .annual)
    }

    @Test func markSpellingsOfEveryScale() throws {
        let p = try loadPolicy("maou-sosh-134")
        #expect(p.markValue("5")?.value == .points(5))
        #expect(p.markValue("зач")?.value == .pass)
        #expect(p.markValue("ЗЧ")?.value == .pass)
        #expect(p.markValue("не зачтено")?.value == .fail)
        #expect(p.markValue("НЗ")?.value == .fail)
        #expect(p.markValue("н/а")?.value == .notAssessed)
        #expect(p.markValue("осв.")?.value == .exempt)
        #expect(p.markValue("освобождена")?.value == .exempt)
        #expect(p.markValue("6") == nil)
        #expect(p.markValue("н") == nil)
        #expect(p.isAbsence("н"))
        #expect(p.isAbsence("Н"))
        #expect(!p.isAbsence("5"))
    }

    @Test func retentionPeriods() throws {
        let p = try loadPolicy("maou-sosh-134")
        #expect(p.retention(id: "register-book")?.description == "постоянно")
        #expect(p.retention(id: "final-marks-summary")?.description == "25 лет")
        #expect(p.retention(id: "class-journal")?.description == "5 лет")
        #expect(p.retention(id: "personal-file")?.description == "3 года после выбытия")
    }
}

/// A bundled policy with one edit, parsed.
func policyWith(_ edit: (inout [String: Any]) -> Void) throws -> Policy {
    let data = try Data(contentsOf: URL(fileURLWithPath: RepoPaths.policy("maou-sosh-134")))
    var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    edit(&object)
    let bytes = try JSONSerialization.data(withJSONObject: object)
    return try Policy.parse(Array(bytes), file: "broken.json")
}

@Suite struct BrokenPolicyTests {
    @Test func unknownKeyIsRefusedByName() {
        let error = #expect(throws: SchemaError.self) { try policyWith { $0["retentionn"] = [] } }
        #expect(error?.message.contains("неизвестный ключ «retentionn»") == true)
    }

    @Test func unknownKeyInsideAListIsRefusedWithItsPath() {
        let error = #expect(throws: SchemaError.self) {
            try policyWith { p in
                var subjects = p["subjects"] as! [[String: Any]]
                subjects[2]["synonims"] = ["x"]
                p["subjects"] = subjects
            }
        }
        #expect(error?.path == "subjects[2].synonims")
    }

    @Test func duplicateIDIsRefused() {
        let error = #expect(throws: SchemaError.self) {
            try policyWith { p in
                var subjects = p["subjects"] as! [[String: Any]]
                subjects.append(["id": "russian", "label": "Русский язык (повтор)"])
                p["subjects"] = subjects
            }
        }
        #expect(error?.message.contains("«russian»") == true)
    }

    @Test func sharedSpellingIsRefused() {
        let error = #expect(throws: SchemaError.self) {
            try policyWith { p in
                var subjects = p["subjects"] as! [[String: Any]]
                subjects.append(["id": "physical-2", "label": "Физкультура (доп.)", "synonyms": ["физ-ра"]])
                p["subjects"] = subjects
            }
        }
        #expect(error?.message.contains("физра") == true)
    }

    @Test func danglingReferencesAreRefused() {
        let scale = #expect(throws: SchemaError.self) {
            try policyWith { p in
                var periods = p["periods"] as! [[String: Any]]
                periods[0]["scales"] = ["five-point", "ten-point"]
                p["periods"] = periods
            }
        }
        #expect(scale?.message.contains("«ten-point»") == true)
        let category = #expect(throws: SchemaError.self) {
            try policyWith { p in
                p["recordCategories"] = ["marks": "academic.nothing", "exams": "academic.state-exam", "achievementsDefault": "extracurricular"]
            }
        }
        #expect(category?.path == "recordCategories.marks")
        let source = #expect(throws: SchemaError.self) {
            try policyWith { p in p["conflictRules"] = [["id": "r", "label": "x", "ranking": ["electronic-journal", "paper"]]] }
        }
        #expect(source?.message.contains("«paper»") == true)
    }
}
