import Testing
@testable import StrictJSON

@Suite struct JSONParserTests {
    @Test func parsesValuesKeepingKeyOrder() throws {
        let v = try JSONParser.parse(#"{"b": [1, -2.5e3, true, null], "a": "при\u0432ет \"x\"", "c": {}}"#)
        guard case .object(let members) = v else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(members[0].value == .array([.number(1), .number(-2500), .bool(true), .null]))
        #expect(members[1].value == .string("привет \"x\""))
    }

    @Test func refusesDuplicateKeysWithTheirPlace() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("{\n  \"id\": 1,\n  \"id\": 2\n}") }
        #expect(error?.line == 3)
        #expect(error?.message.contains("«id»") == true)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "\"\\x\"", "{'a':1}", "[1] 2", "\"a\nb\""])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }
}

@Suite struct JSONObjectReaderTests {
    @Test func unknownKeyIsNamedWithItsPathAndTheKeysAllowed() throws {
        let root = try JSONObjectReader.document(Array(#"{"items": [{"id": "a", "lable": "x"}]}"#.utf8), file: "p.json")
        let item = try root.objects("items")[0]
        _ = try item.string("id")
        _ = try item.optionalString("label")
        let error = #expect(throws: SchemaError.self) { try item.finish() }
        #expect(error?.description == "p.json: items[0].lable: неизвестный ключ «lable»; допустимые здесь: id, label")
    }

    @Test func wrongTypesAndMissingKeysAreNamed() throws {
        let root = try JSONObjectReader.document(Array(#"{"n": "5"}"#.utf8), file: "c.json")
        #expect((#expect(throws: SchemaError.self) { try root.int("n") })?.path == "n")
        #expect((#expect(throws: SchemaError.self) { try root.string("missing") })?.message == "нет обязательного ключа «missing»")
    }
}
