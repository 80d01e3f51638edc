/// Reads the bytes of a TZif file (RFC 8536): header, data block, and for version 2+ the second
/// header, 64-bit data block and footer TZ string.
struct TZifReader {
    let bytes: [UInt8]

    /// The six counts of a header, in file order.
    struct Counts {
        var isUT, isStandard, leap, time, type, characters: Int
    }

    func read(name: String) throws(TimeZoneError) -> TimeZoneRules {
        guard bytes.count >= 44, bytes[0..<4].elementsEqual("TZif".utf8) else { throw TimeZoneError("not a TZif file (no TZif magic)") }
        let version = bytes[4]
        guard version == 0 || version >= UInt8(ascii: "2") else { throw TimeZoneError("unknown TZif version byte \(version)") }
        let first = try counts(at: 20)
        let firstLength = first.time * 5 + first.type * 6 + first.characters + first.leap * 8 + first.isStandard + first.isUT
        guard 44 + firstLength <= bytes.count else { throw TimeZoneError("TZif file cut short in the version 1 data") }
        if version == 0 {
            let (rules, _) = try block(at: 44, counts: first, timeSize: 4, name: name)
            return rules
        }
        let secondHeader = 44 + firstLength
        guard secondHeader + 44 <= bytes.count, bytes[secondHeader..<(secondHeader + 4)].elementsEqual("TZif".utf8) else {
            throw TimeZoneError("TZif version 2+ file without its second header")
        }
        let second = try counts(at: secondHeader + 20)
        var (rules, end) = try block(at: secondHeader + 44, counts: second, timeSize: 8, name: name)
        guard end < bytes.count, bytes[end] == 10, bytes.last == 10, end + 1 <= bytes.count - 1 else {
            throw TimeZoneError("TZif footer is not a newline-enclosed TZ string")
        }
        let footer = bytes[(end + 1)..<(bytes.count - 1)]
        guard footer.allSatisfy({ $0 >= 32 && $0 < 127 }) else { throw TimeZoneError("TZif footer has control or non-ASCII bytes") }
        if !footer.isEmpty {
            let rule = try POSIXTimeZone(parsing: String(decoding: footer, as: UTF8.self))
            rules = TimeZoneRules(name: name, transitionTimes: rules.transitionTimes, offsetsAfter: rules.offsetsAfter,
                                  initialOffset: rules.initialOffset, footer: rule)
        }
        return rules
    }

    /// A header's counts, checked against RFC 8536's constraints.
    func counts(at offset: Int) throws(TimeZoneError) -> Counts {
        let values = (0..<6).map { Int(UInt32(truncatingIfNeeded: integer(at: offset + 4 * $0, size: 4))) }
        let counts = Counts(isUT: values[0], isStandard: values[1], leap: values[2], time: values[3], type: values[4], characters: values[5])
        guard counts.type >= 1, counts.characters >= 1 else { throw TimeZoneError("TZif header with no time types or designations") }
        guard counts.isUT == 0 || counts.isUT == counts.type, counts.isStandard == 0 || counts.isStandard == counts.type else {
            throw TimeZoneError("TZif header: indicator counts differ from the type count")
        }
        guard counts.leap == 0 else { throw TimeZoneError("TZif file with leap seconds (a right/ zone) is not supported") }
        return counts
    }

    /// A data block at `start`; returns the rules (no footer) and where the block ends.
    func block(at start: Int, counts: Counts, timeSize: Int, name: String) throws(TimeZoneError) -> (TimeZoneRules, Int) {
        let typesStart = start + counts.time * timeSize
        let recordsStart = typesStart + counts.time
        let end = recordsStart + counts.type * 6 + counts.characters + counts.leap * (timeSize + 4) + counts.isStandard + counts.isUT
        guard end <= bytes.count else { throw TimeZoneError("TZif file cut short in its data block") }
        var offsets: [Int] = []
        for type in 0..<counts.type {
            let record = recordsStart + type * 6
            let offset = integer(at: record, size: 4)
            guard offset != Int64(Int32.min), bytes[record + 4] <= 1, Int(bytes[record + 5]) < counts.characters else {
                throw TimeZoneError("TZif time type \(type) is malformed")
            }
            offsets.append(Int(offset))
        }
        var times: [Int64] = []
        var after: [Int] = []
        for index in 0..<counts.time {
            let time = integer(at: start + index * timeSize, size: timeSize)
            guard times.last.map({ $0 < time }) ?? true else { throw TimeZoneError("TZif transition times are not ascending") }
            let type = Int(bytes[typesStart + index])
            guard type < counts.type else { throw TimeZoneError("TZif transition \(index) names time type \(type) of \(counts.type)") }
            times.append(time)
            after.append(offsets[type])
        }
        return (TimeZoneRules(name: name, transitionTimes: times, offsetsAfter: after, initialOffset: offsets[0], footer: nil), end)
    }

    /// A big-endian two's-complement integer of 4 or 8 bytes.
    func integer(at offset: Int, size: Int) -> Int64 {
        var value: UInt64 = 0
        for byte in bytes[offset..<(offset + size)] { value = value << 8 | UInt64(byte) }
        return size == 4 ? Int64(Int32(truncatingIfNeeded: value)) : Int64(bitPattern: value)
    }
}
