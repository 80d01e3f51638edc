import CommandLineSupport

/// A table for people: columns padded to the widest cell (counted in characters), two spaces
/// between, every line through ``Terminal/line(_:)``. The last column is not padded.
struct Table {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }

    /// Prints the header and rows; `empty` instead when there are no rows.
    func print(empty: String) {
        guard !rows.isEmpty else {
            Terminal.line(empty)
            return
        }
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            Terminal.line(String(line.reversed().drop { $0 == " " }.reversed()))
        }
    }
}
