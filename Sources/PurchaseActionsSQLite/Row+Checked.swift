internal import GRDB
import PurchaseActionsCore

extension Row {
    /// The value at `index`, or a ``StoreError`` (`not-a-database`) naming the column when the
    /// stored value is not of the type the schema gives it (a database edited by hand or damaged):
    /// never GRDB's subscript, which stops the process on such a value.
    func get<Value: DatabaseValueConvertible>(_ index: Int) throws -> Value {
        do {
            return try decode(Value.self, atIndex: index)
        } catch {
            throw Self.unreadable(columnName: index < count ? columnNames[columnNames.index(columnNames.startIndex, offsetBy: index)] : "#\(index)", Value.self)
        }
    }

    /// The value of the column `name` (``get(_:)-(Int)``).
    func get<Value: DatabaseValueConvertible>(_ name: String) throws -> Value {
        do {
            return try decode(Value.self, forColumn: name)
        } catch {
            throw Self.unreadable(columnName: name, Value.self)
        }
    }

    private static func unreadable<Value>(columnName: String, _: Value.Type) -> StoreError {
        StoreError(
            .notADatabase,
            "a stored value of column '\(DisplayText.escape(columnName))' is not a \(Value.self) as the schema says: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
    }
}

extension Int64 {
    /// The next value of a stored counter, or a ``StoreError`` (`not-a-database`) when the stored
    /// one is already the largest there is (a database edited by hand: never a trap).
    func nextCounter(_ name: String) throws -> Int64 {
        let (next, overflow) = addingReportingOverflow(1)
        guard !overflow else {
            throw StoreError(
                .notADatabase,
                "the stored counter '\(name)' is at its largest value: the database was edited by hand or damaged; restore a backup (Docs/operations.md, \"Backups\")")
        }
        return next
    }
}
