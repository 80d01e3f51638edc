extension Instant {
    /// Parses an RFC 3339 date-time with an explicit offset (`2026-03-01T09:30:00+11:00`, `...Z`),
    /// as events and workflow files write them; returns the instant and the offset in seconds.
    ///
    /// `T` and `Z` are upper case; fractions of a second up to 9 digits are read to the millisecond;
    /// `-00:00` (offset unknown) and impossible dates such as February 30 are refused, and so is a
    /// leap second (`23:59:60`, which RFC 3339 allows): instants have no leap seconds, so write
    /// `:59.999` (``rfc3339Refusal(_:example:)`` says so). One rule for
    /// the years (Docs/time.md, "Range"): both the date-time **as written** and its UTC instant
    /// (after the offset) lie in the years 0001 to 9999, 0001-01-01T00:00:00Z to
    /// 9999-12-31T23:59:59Z: `9999-12-31T23:59:59-14:00` (the year 10000 in UTC) and
    /// `0000-12-31T23:59:00-00:01` (written in the year 0000) are refused. What
    /// ``rfc3339(offsetSeconds:)`` writes for a supported instant always reads back.
    /// Any text gives a value or `nil`, never a trap.
    public static func parseRFC3339(_ text: String) -> (instant: Instant, offsetSeconds: Int)? {
        let bytes = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, _ expected: Character) -> Bool { index < bytes.count && bytes[index] == expected.asciiValue! }
        guard let year = digits(0, 4), byte(4, "-"), let month = digits(5, 2), byte(7, "-"), let day = digits(8, 2), byte(10, "T"),
            let hour = digits(11, 2), byte(13, ":"), let minute = digits(14, 2), byte(16, ":"), let second = digits(17, 2)
        else { return nil }
        let civil = CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        // The date as written is in the years 0001 to 9999 (four digits give at most 9999).
        guard civil.isValidDate, year >= 1 else { return nil }
        var index = 19
        var millis = 0
        if byte(index, ".") {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if count < 3 { millis = millis * 10 + Int(bytes[index] - 48) }
                count += 1
                index += 1
            }
            guard (1...9).contains(count) else { return nil }
            // Fewer than 3 digits are scaled up (".5" is 500 ms); more are cut to the millisecond.
            for _ in Swift.min(count, 3)..<3 { millis *= 10 }
        }
        let offset: Int
        if byte(index, "Z"), index + 1 == bytes.count {
            offset = 0
        } else if byte(index, "+") || byte(index, "-"), index + 6 == bytes.count, let hours = digits(index + 1, 2), byte(index + 3, ":"),
            let minutes = digits(index + 4, 2), hours <= 23, minutes <= 59
        {
            guard !(byte(index, "-") && hours == 0 && minutes == 0) else { return nil }
            offset = (byte(index, "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        let seconds = civil.secondsSinceEpoch - Int64(offset)
        guard let whole = Instant(checkedSecondsSinceEpoch: seconds) else { return nil }
        return (Instant(millisecondsSinceEpoch: whole.millisecondsSinceEpoch + Int64(millis)), offset)
    }

    /// Why ``parseRFC3339(_:)`` refuses `text`, as an error message (the text shown with control
    /// characters escaped), or `nil` when it reads. A leap second (`2016-12-31T23:59:60Z`) is named
    /// as such: "'2016-12-31T23:59:60Z': a leap second (:60) is not accepted; write :59.999";
    /// anything else is "… is not an RFC 3339 date-time with an offset whose date and UTC instant
    /// are in the years 0001 to 9999, such as `example`".
    public static func rfc3339Refusal(_ text: String, example: String) -> String? {
        guard parseRFC3339(text) == nil else { return nil }
        let shown = DisplayText.escape(text)
        var bytes = Array(text.utf8)
        if bytes.count > 19, bytes[17] == UInt8(ascii: "6"), bytes[18] == UInt8(ascii: "0") {
            // The same text at :59 reads: only the leap second is wrong.
            bytes[17] = UInt8(ascii: "5")
            bytes[18] = UInt8(ascii: "9")
            if parseRFC3339(String(decoding: bytes, as: UTF8.self)) != nil {
                return "'\(shown)': a leap second (:60) is not accepted; write :59.999"
            }
        }
        return "'\(shown)' is not an RFC 3339 date-time with an offset whose date and UTC instant are in the years 0001 to 9999, such as \(example)"
    }
}
