@testable import LegacyImport
import Testing

/// A rule's date criterion (`op="before"`/`"after"`) takes `YYYY-MM-DD` in the years 0001 to 9999
/// (`ExportAssembler.isDate`, read in one pass without making an array).
@Suite("Date criteria")
struct DateCriterionTests {
    @Test("Valid dates, leap days and the ends of the range are accepted")
    func accepted() {
        for text in ["0001-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "2023-04-30", "1999-12-31", "2023-01-31"] {
            #expect(ExportAssembler.isDate(text), "\(text)")
        }
    }

    @Test("Days one past the month's last, month 0 and 13, year 0 and other shapes are refused")
    func refused() {
        let texts = [
            "2023-02-29", "1900-02-29", "2024-02-30", "2023-04-31", "2023-01-32", "2023-01-00", "2023-00-10", "2023-13-01",
            "0000-01-01", "10000-01-01", "999-01-01", "2023-1-01", "2023-01-1", "2023/01/01", "2023-01-01 ", " 2023-01-01",
            "2023-01-0a", "２０２３-01-01", "2023-01-0\u{0301}1", "", "----------", "2023--01-01", "-2023-01-01",
        ]
        for text in texts {
            #expect(!ExportAssembler.isDate(text), "\(text)")
        }
    }
}
