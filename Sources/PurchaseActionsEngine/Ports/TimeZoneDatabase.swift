public import PurchaseActionsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the engine gets a timezone's rules by IANA name.
public protocol TimeZoneDatabase: AnyObject {
    /// The rules of a zone, or `nil` if the name is unknown.
    func rules(named name: String) -> TimeZoneRules?
}

/// The system's zone files (`/usr/share/zoneinfo`, Debian package `tzdata`), read once per zone.
public final class SystemTimeZoneDatabase: TimeZoneDatabase {
    private let directory: String
    private var cache: [String: TimeZoneRules?] = [:]

    /// Reads zones from `directory`.
    public init(directory: String = "/usr/share/zoneinfo") {
        self.directory = directory
    }

    public func rules(named name: String) -> TimeZoneRules? {
        if let cached = cache[name] { return cached }
        let rules = load(name)
        cache[name] = rules
        return rules
    }

    private func load(_ name: String) -> TimeZoneRules? {
        if name == "UTC" || name == "Etc/UTC" { return .utc }
        // A zone name, never a path: letters, digits and _ + - / only, no "..".
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains(".."),
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_+-/".contains($0)) })
        else { return nil }
        let descriptor = open(directory + "/" + name, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return try? TimeZoneRules(name: name, tzif: bytes)
    }
}
