/// The range of one kind of number in export format v1: every count, duration and amount has a
/// documented maximum (Docs/export-format.md, "Values"), and Docs/export-format.xsd says the same with
/// `minInclusive` / `maxInclusive` (`ValueBoundsTests` keeps the two in agreement).
///
/// Durations and offsets are at most 100 years (36,500 days, 876,000 hours, 52,560,000 minutes), as in
/// every format of the package, so no value read from an export can make time arithmetic overflow.
struct ValueBound: Sendable {
    /// The values allowed.
    let range: ClosedRange<Int>
    /// What the number is, for messages: "days", "minutes", ...
    let unit: String
    /// Whether a sign (`+` or `-`) may be written (amounts, which are `xs:integer`).
    let allowsSign: Bool

    init(_ range: ClosedRange<Int>, _ unit: String, allowsSign: Bool = false) {
        self.range = range
        self.unit = unit
        self.allowsSign = allowsSign
    }

    /// Days of a delay, an offset or an interval: 0 to 36,500 (100 years).
    static let days = ValueBound(0...maxDays, "days, at most 100 years")
    /// An interval of at least one day: 1 to 36,500.
    static let positiveDays = ValueBound(1...maxDays, "days, at most 100 years")
    /// Minutes of a duration: 0 to 52,560,000 (100 years).
    static let minutes = ValueBound(0...52_560_000, "minutes, at most 100 years")
    /// Months (an invoice's age): 1 to 1,200 (100 years).
    static let months = ValueBound(1...1_200, "months, at most 100 years")
    /// Autocharge attempts (`max-retries`, `attempt`): 1 to 100.
    static let attempts = ValueBound(1...100, "attempts")
    /// A quantity of an order line or bundle item: 1 to 1,000,000.
    static let quantity = ValueBound(1...1_000_000, "items")
    /// The number of payments of a payment plan: 1 to 1,200.
    static let payments = ValueBound(1...1_200, "payments")
    /// Every how many cycles a subscription bills: 1 to 36,500 (and at most 100 years in all).
    static let frequency = ValueBound(1...maxDays, "cycles, at most 100 years in all")
    /// An amount in minor units of the account currency: -10^12 to 10^12 (ten billion dollars in cents).
    static let money = ValueBound(-maxMoney...maxMoney, "minor units of the account currency", allowsSign: true)

    /// 100 years in days: the longest duration or offset in every format.
    static let maxDays = 36_500
    /// The largest amount, in minor units.
    static let maxMoney = 1_000_000_000_000

    /// The value of `text` if it is a whole number in range, written as `xs:integer` is: optional white
    /// space around it, digits (a sign only for amounts). Never traps, however many digits.
    func parse(_ text: String) -> Parsed {
        var bytes = Substring(text).utf8[...]
        while let first = bytes.first, Self.isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, Self.isSpace(last) { bytes = bytes.dropLast() }
        var negative = false
        if allowsSign, let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return .notANumber }
        while bytes.count > 1, bytes.first == UInt8(ascii: "0") { bytes = bytes.dropFirst() }
        // Past 18 digits a number is far past every bound: out of range, not a failed parse.
        guard bytes.count <= 18 else { return negative ? .belowMinimum : .aboveMaximum }
        var magnitude = 0
        for byte in bytes { magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0")) }
        let number = negative ? -magnitude : magnitude
        if number < range.lowerBound { return .belowMinimum }
        return number > range.upperBound ? .aboveMaximum : .value(number)
    }

    /// What ``parse(_:)`` found.
    enum Parsed: Equatable {
        /// A number in range.
        case value(Int)
        /// A whole number below the range (`0` where the least is 1).
        case belowMinimum
        /// A whole number above the range.
        case aboveMaximum
        /// Not a whole number.
        case notANumber
    }

    /// What a valid value is, for messages: "a whole number from 0 to 36,500 (days, at most 100 years)".
    var expected: String {
        "a whole number from \(Self.grouped(range.lowerBound)) to \(Self.grouped(range.upperBound)) (\(unit))"
    }

    /// `36500` as `36,500`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
