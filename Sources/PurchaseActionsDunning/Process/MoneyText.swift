/// An amount in minor units written for people in its currency's decimals: `29.00 AUD`,
/// `1500 JPY`, `1.250 KWD` (ISO 4217: a currency with no minor unit, with three decimals, or,
/// for every other code, two). Timelines and the command line write amounts with it.
public enum MoneyText: Sendable {
    /// ISO 4217 currencies without minor units.
    public static let zeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    /// ISO 4217 currencies with three decimals.
    public static let threeDecimal: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// `minor` minor units of `currency`, such as `29.00 AUD` for 2900 AUD.
    public static func format(_ minor: Int, _ currency: String) -> String {
        let decimals = zeroDecimal.contains(currency) ? 0 : threeDecimal.contains(currency) ? 3 : 2
        guard decimals > 0 else { return "\(minor) \(currency)" }
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        var unit: UInt = 1
        for _ in 0..<decimals { unit *= 10 }
        let fraction = String(magnitude % unit + unit).dropFirst()
        return "\(sign)\(magnitude / unit).\(fraction) \(currency)"
    }
}
