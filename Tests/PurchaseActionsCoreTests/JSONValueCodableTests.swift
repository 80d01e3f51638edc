import Foundation
import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("JSONValue: Codable, the bridge to Foundation's coders")
struct JSONValueCodableTests {
    static func roundTrip(_ value: JSONValue) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// `depth` arrays, one inside the other, around `1`.
    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) }

    @Test("Every kind of value, and integers beyond a Double's precision, come back as they were")
    func kinds() throws {
        let value = JSONValue.object([
            "null": .null, "true": .bool(true), "false": .bool(false), "max": .integer(.max), "min": .integer(.min),
            "twoTo53PlusOne": .integer(9_007_199_254_740_993), "zero": .integer(0), "text": .string("é \"q\" \\ \n\u{01} 😀"),
            "array": .array([.integer(1), .array([]), .object([:])]), "": .string(""), "Index 0": .integer(1),
        ])
        #expect(try Self.roundTrip(value) == value)
        #expect(try Self.roundTrip(value).canonicalBytes == value.canonicalBytes)
        let text = String(decoding: try JSONEncoder().encode(JSONValue.integer(9_007_199_254_740_993)), as: UTF8.self)
        #expect(text == "9007199254740993", "integers are written as integers, never through a Double")
    }

    @Test("Numbers that are not 64-bit integers are refused as dataCorrupted, with the documented messages")
    func numbers() throws {
        for (text, message) in [
            (#"{"a":[1.5]}"#, "$.a[0]: must be a whole number, with no fraction or exponent"),
            (#"{"amount":{"minor":19.99}}"#, "$.amount.minor: must be a whole number, with no fraction or exponent: amounts are in minor units (1999 for 19.99)"),
            (#"[9223372036854775808]"#, "$[0]: the number does not fit in 64 bits"),
            (#"[-1e30]"#, "$[0]: the number does not fit in 64 bits"),
        ] {
            do {
                _ = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                Issue.record("\(text) was accepted")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.debugDescription == message)
                #expect((context.underlyingError as? JSONError)?.code == .notAnInteger)
            }
        }
    }

    @Test("Nesting: 256 arrays decode; 257 are refused at the innermost one, never overflowing the stack")
    func depthLimit() throws {
        let atLimit = try JSONDecoder().decode(JSONValue.self, from: Data(Self.nested(JSONValue.maximumDepth).utf8))
        #expect(atLimit.canonicalBytes == (try JSONValue.parse(Self.nested(JSONValue.maximumDepth))).canonicalBytes)
        do {
            _ = try JSONDecoder().decode(JSONValue.self, from: Data(Self.nested(JSONValue.maximumDepth + 1).utf8))
            Issue.record("257 levels were accepted")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.count == JSONValue.maximumDepth)
            #expect((context.underlyingError as? JSONError)?.code == .limit)
            #expect(context.debugDescription.hasPrefix("$" + String(repeating: "[0]", count: 256) + ": nested more than 256"))
        }
        // Objects count the same, and the depth is counted from the value decoded, not the document.
        let objects = String(repeating: #"{"a":"#, count: 257) + "1" + String(repeating: "}", count: 257)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data(objects.utf8)) }
        struct Holder: Decodable { var value: JSONValue }
        let held = #"{"value":"# + Self.nested(256) + "}"
        #expect(throws: Never.self) { try JSONDecoder().decode(Holder.self, from: Data(held.utf8)) }
    }

    @Test("Encoding a value nested past the limit throws EncodingError instead of recursing without bound")
    func encodingDepth() throws {
        var value = JSONValue.integer(1)
        for _ in 0..<JSONValue.maximumDepth { value = .array([value]) }
        #expect(throws: Never.self) { try JSONEncoder().encode(value) }
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(JSONValue.object(["a": value])) }
    }

    @Test("A value that is no JSON value is refused (a property list date)")
    func notJSON() throws {
        let data = try PropertyListEncoder().encode([Date(timeIntervalSince1970: 0)])
        #expect(throws: DecodingError.self) { try PropertyListDecoder().decode(JSONValue.self, from: data) }
    }

    @Test("JSONPath and coding paths convert both ways")
    func paths() {
        let path = JSONPath.root.member("order").member("lines").index(2).member("x y")
        let keys: [any CodingKey] = path.components
        #expect(JSONPath(codingPath: keys) == path)
        #expect(keys[2].stringValue == "Index 2" && keys[2].intValue == 2)
        #expect(JSONPath.root.index(1).appending(path).description == "$[1].order.lines[2]['x y']")
    }

    // MARK: Property: any value survives JSONEncoder → JSONDecoder, to the byte once canonical

    static let words = ["", "a", "Index 0", "é", "e\u{301}x", "\"", "\\", "\n\u{0}\u{1F}\u{7F}", "😀", "id", "$.x", "1"]
    /// Flat instructions a builder turns into a value: (kind, integer, word).
    static let instructions = zip(Gen.int(in: 0...8), Gen.int(in: .min ... .max), Gen.int(in: 0...(words.count - 1))).array(of: 0...40)

    /// Builds a value from instructions, at most 6 deep.
    static func build(_ instructions: [(Int, Int, Int)]) -> JSONValue {
        var index = 0
        func next(_ depth: Int) -> JSONValue {
            guard index < instructions.count else { return .null }
            let (kind, number, word) = instructions[index]
            index += 1
            switch depth >= 6 ? kind % 5 : kind {
            case 0: return .null
            case 1: return .bool(number % 2 == 0)
            case 2: return .integer(number)
            case 3: return .integer(number % 1000)
            case 4: return .string(words[word] + String(number % 97))
            case 5, 6:
                let count = Int(number.magnitude % 4)
                return .array((0..<count).map { _ in next(depth + 1) })
            default:
                let count = Int(number.magnitude % 4)
                var members: [String: JSONValue] = [:]
                for offset in 0..<count { members[words[(word + offset) % words.count]] = next(depth + 1) }
                return .object(members)
            }
        }
        return next(0)
    }

    @Test("Any value round-trips through JSONEncoder and JSONDecoder, and its canonical bytes are unchanged")
    func roundTripProperty() async {
        await propertyCheck(count: 500, input: Self.instructions) { instructions in
            let value = Self.build(instructions)
            let back = try Self.roundTrip(value)
            #expect(back == value)
            #expect(back.canonicalBytes == value.canonicalBytes)
            #expect(try JSONValue.parse(value.canonicalBytes) == value, "the canonical text parses back to the value")
        }
    }
}
