extension POSIXTimeZone {
    /// Parses `std offset [dst [offset] [,start[/time],end[/time]]]` (POSIX, with RFC 8536's
    /// extension of times to −167…167 hours). Without a rule, daylight saving follows tzcode's
    /// default `M3.2.0,M11.1.0`; without a time, changes happen at 02:00.
    init(parsing text: String) throws(TimeZoneError) {
        var cursor = Cursor(bytes: Array(text.utf8))
        guard cursor.name() else { throw TimeZoneError("TZ string \"\(text)\": no standard time name") }
        guard let standard = cursor.hours(maximum: 24) else { throw TimeZoneError("TZ string \"\(text)\": no standard time offset") }
        standardOffset = -standard
        daylight = nil
        if cursor.atEnd { return }
        guard cursor.name() else { throw TimeZoneError("TZ string \"\(text)\": bad daylight time name") }
        let offset = cursor.peek == UInt8(ascii: ",") || cursor.atEnd ? standardOffset + 3600 : cursor.hours(maximum: 24).map { -$0 }
        guard let offset else { throw TimeZoneError("TZ string \"\(text)\": bad daylight time offset") }
        if cursor.atEnd {
            daylight = Daylight(offset: offset, start: Moment(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200),
                                end: Moment(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200))
            return
        }
        guard cursor.skip(","), let start = cursor.moment(), cursor.skip(","), let end = cursor.moment(), cursor.atEnd else {
            throw TimeZoneError("TZ string \"\(text)\": bad daylight saving rule")
        }
        daylight = Daylight(offset: offset, start: start, end: end)
    }

    /// Reads a TZ string from left to right.
    struct Cursor {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard peek == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// `<+0545>` (letters, digits, `+`, `-`) or three or more letters.
        mutating func name() -> Bool {
            func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
            if skip("<") {
                let start = index
                while let byte = peek, isLetter(byte) || (48...57).contains(byte) || byte == 43 || byte == 45 { index += 1 }
                return index > start && skip(">")
            }
            let start = index
            while let byte = peek, isLetter(byte) { index += 1 }
            return index - start >= 3
        }

        /// A non-negative integer of at most `digits` digits.
        mutating func number(digits: Int) -> Int? {
            var value = 0
            var count = 0
            while count < digits, let byte = peek, (48...57).contains(byte) {
                value = value * 10 + Int(byte - 48)
                count += 1
                index += 1
            }
            return count > 0 ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, hours up to `maximum`.
        mutating func hours(maximum: Int) -> Int? {
            var sign = 1
            if skip("-") { sign = -1 } else { _ = skip("+") }
            guard let hours = number(digits: 3), hours <= maximum else { return nil }
            var seconds = hours * 3600
            if skip(":") {
                guard let minutes = number(digits: 2), minutes < 60 else { return nil }
                seconds += minutes * 60
                if skip(":") {
                    guard let rest = number(digits: 2), rest < 60 else { return nil }
                    seconds += rest
                }
            }
            return sign * seconds
        }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
        mutating func moment() -> Moment? {
            let day: Day
            if skip("J") {
                guard let n = number(digits: 3), (1...365).contains(n) else { return nil }
                day = .julian(n)
            } else if skip("M") {
                guard let month = number(digits: 2), (1...12).contains(month), skip("."), let week = number(digits: 1), (1...5).contains(week),
                    skip("."), let weekday = number(digits: 1), weekday <= 6
                else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let n = number(digits: 3), n <= 365 else { return nil }
                day = .zeroBased(n)
            }
            guard skip("/") else { return Moment(day: day, time: 7200) }
            guard let time = hours(maximum: 167) else { return nil }
            return Moment(day: day, time: time)
        }
    }
}
