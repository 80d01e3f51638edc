/// A timezone that could not be read: a malformed or unsupported TZif file or POSIX TZ string.
public struct TimeZoneError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, for people: `Australia/Sydney: TZif header: bad magic`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// The rules of one IANA timezone: its UTC offset at every instant, read from a TZif file.
///
/// Offsets come from the file's explicit transitions and, after the last one, from its footer
/// POSIX TZ string. Nothing here reads the `isdst` flags or abbreviations: Europe/Dublin marks its
/// winter as "DST" (a negative saving) and that makes no difference to any answer.
///
/// Wall-clock times that do not exist or happen twice are resolved by one rule, see
/// ``instant(for:)``. The type does no I/O: the caller reads `/usr/share/zoneinfo/<name>`.
public struct TimeZoneRules: Hashable, Sendable {
    /// The IANA name, such as `Australia/Sydney`.
    public let name: String
    /// Transition instants, seconds since the epoch, strictly ascending.
    let transitionTimes: [Int64]
    /// The UTC offset in force from `transitionTimes[i]` on.
    let offsetsAfter: [Int]
    /// The UTC offset before the first transition (time type 0, RFC 8536 section 3.2).
    let initialOffset: Int
    /// The rule after the last transition (or always, with no transitions); nil: the last offset stays.
    let footer: POSIXTimeZone?

    init(name: String, transitionTimes: [Int64], offsetsAfter: [Int], initialOffset: Int, footer: POSIXTimeZone?) {
        self.name = name
        self.transitionTimes = transitionTimes
        self.offsetsAfter = offsetsAfter
        self.initialOffset = initialOffset
        self.footer = footer
    }

    /// Coordinated Universal Time: offset zero, always.
    public static let utc = TimeZoneRules(name: "UTC", transitionTimes: [], offsetsAfter: [], initialOffset: 0, footer: nil)

    /// Reads a TZif file (RFC 8536, versions 1 to 4), such as the bytes of `/usr/share/zoneinfo/Asia/Kathmandu`.
    ///
    /// The 64-bit data of version 2+ files is used when present, with the footer TZ string for
    /// instants after the last transition. Files with leap-second records (`right/...`) are refused.
    public init(name: String, tzif: [UInt8]) throws(TimeZoneError) {
        do {
            self = try TZifReader(bytes: tzif).read(name: name)
        } catch {
            throw TimeZoneError("\(name): \(error.message)")
        }
    }

    /// A zone described by a POSIX TZ string alone, such as `AEST-10AEDT,M10.1.0,M4.1.0/3`.
    public init(name: String, posixTZ: String) throws(TimeZoneError) {
        do {
            let rule = try POSIXTimeZone(parsing: posixTZ)
            self.init(name: name, transitionTimes: [], offsetsAfter: [], initialOffset: rule.standardOffset, footer: rule)
        } catch {
            throw TimeZoneError("\(name): \(error.message)")
        }
    }

    /// Whether `name` looks like an IANA zone name that is safe to append to a zoneinfo folder:
    /// ASCII letters, digits and `_-+.` in `/`-separated parts, none empty or starting with `.` or `-`.
    public static func isValidName(_ name: String) -> Bool {
        func allowed(_ byte: UInt8) -> Bool {
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || "_-+.".utf8.contains(byte)
        }
        let parts = name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return name.utf8.count <= 255
            && parts.allSatisfy { part in
                part.first.map { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ".") } ?? false && part.allSatisfy(allowed)
            }
    }

    /// The UTC offset at an instant, in seconds east of UTC (`+05:45` is 20,700).
    public func offset(at instant: Instant) -> Int { offset(atSecond: instant.secondsSinceEpoch) }

    /// The wall-clock date and time at an instant (milliseconds dropped).
    public func civil(at instant: Instant) -> CivilDateTime {
        let seconds = instant.secondsSinceEpoch
        return CivilDateTime(secondsSinceEpoch: seconds + Int64(offset(atSecond: seconds)))
    }

    /// The instant a wall clock in this zone shows `civil`.
    ///
    /// The rule for times that do not exist or happen twice (the same as Python's `zoneinfo` with
    /// `fold=0`): such a wall time is read with the UTC offset in force **before** the transition.
    /// - In a gap (clocks spring forward) the result lands after the gap by as much as the time was
    ///   into it: 02:30 in Sydney's 02:00→03:00 gap is 03:30 daylight time.
    /// - In an overlap (clocks fall back) the result is the **first** occurrence: 02:30 on Sydney's
    ///   fall-back night is 02:30 daylight time (+11:00), an hour before 02:30 standard time.
    public func instant(for civil: CivilDateTime) -> Instant {
        let local = civil.secondsSinceEpoch
        let reach: Int64 = 3 * 86_400
        var offset = offset(atSecond: local - reach)
        for change in changes(from: local - reach, to: local + reach) {
            // A transition takes effect, on the wall clock, once both readings of it have passed.
            // Overflow-reporting: a hand-made file may hold a transition at the very end of 64 bits.
            let (effective, overflow) = change.at.addingReportingOverflow(Int64(max(change.before, change.after)))
            guard !overflow, effective <= local else { break }
            offset = change.after
        }
        return Instant(secondsSinceEpoch: local - Int64(offset))
    }

    /// The instants in `from..<to` at which the UTC offset changes, ascending.
    ///
    /// Changes of abbreviation or `isdst` alone are not transitions. After the last transition in
    /// the file, the footer rule's transitions are listed up to the year 9999.
    public func transitions(from: Instant, to: Instant) -> [Instant] {
        changes(from: from.secondsSinceEpoch, to: to.secondsSinceEpoch).map { Instant(secondsSinceEpoch: $0.at) }
    }
}
