public import PurchaseActionsCore

/// Two simulations of the same failures side by side: both totals, and the invoices whose
/// outcome differs (`InvoiceTimeline.summary`: recovered at another attempt counts as different).
public struct SimulationComparison: Hashable, Sendable {
    /// An invoice that ended differently.
    public struct Difference: Hashable, Sendable {
        /// The invoice.
        public var invoice: String
        /// Its summary in the first run (`absent` when it is not there).
        public var left: String
        /// Its summary in the second.
        public var right: String

        /// Creates a difference.
        public init(invoice: String, left: String, right: String) {
            self.invoice = invoice
            self.left = left
            self.right = right
        }
    }

    /// The first run.
    public var left: SimulationResult
    /// The second run.
    public var right: SimulationResult
    /// The invoices whose summary differs, sorted by invoice id.
    public var differences: [Difference]

    /// Compares two runs.
    public init(_ left: SimulationResult, _ right: SimulationResult) {
        self.left = left
        self.right = right
        var differences: [Difference] = []
        var i = 0
        var j = 0
        let a = left.invoices
        let b = right.invoices
        while i < a.count || j < b.count {
            if j >= b.count || (i < a.count && a[i].invoice.utf8.lexicographicallyPrecedes(b[j].invoice.utf8)) {
                differences.append(Difference(invoice: a[i].invoice, left: a[i].summary, right: "absent"))
                i += 1
            } else if i >= a.count || b[j].invoice.utf8.lexicographicallyPrecedes(a[i].invoice.utf8) {
                differences.append(Difference(invoice: b[j].invoice, left: "absent", right: b[j].summary))
                j += 1
            } else {
                if a[i].summary != b[j].summary { differences.append(Difference(invoice: a[i].invoice, left: a[i].summary, right: b[j].summary)) }
                i += 1
                j += 1
            }
        }
        self.differences = differences
    }

    /// `{"policy": <left result>, "compare": <right result>, "differences": [{"invoice", "policy", "compare"}]}`.
    public var json: JSONValue {
        .members([
            "policy": left.json, "compare": right.json,
            "differences": .array(differences.map { .members(["invoice": $0.invoice.json, "policy": $0.left.json, "compare": $0.right.json]) }),
        ])
    }
}
