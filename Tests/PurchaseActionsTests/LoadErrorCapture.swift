import PurchaseActions
import Testing

/// What the loader tests catch: the `LoadError` a call throws.
enum LoadErrorCapture {
    /// The `LoadError` `body` throws, or nil when it throws nothing (any other error is recorded as
    /// an issue, so a test expecting a `LoadError` fails on it).
    static func error(_ body: () throws -> Void) -> LoadError? {
        do {
            try body()
            return nil
        } catch let error as LoadError {
            return error
        } catch {
            Issue.record("not a LoadError: \(error)")
            return nil
        }
    }
}
