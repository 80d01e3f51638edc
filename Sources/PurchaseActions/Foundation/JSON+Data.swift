// Data in and out of the formats: what an app has from URLSession, FileManager or a database.

public import Foundation
public import PurchaseActionsCore
public import PurchaseActionsEngine

extension JSONValue {
    /// Parses one JSON document from UTF-8 `Data` (`JSONValue.parse(_:)`).
    ///
    /// ```swift
    /// let value = try JSONValue.parse(data)
    /// ```
    public static func parse(_ data: Data) throws(JSONError) -> JSONValue { try parse([UInt8](data)) }

    /// `canonicalBytes` as `Data`: sorted keys, two-space indent, a final newline.
    ///
    /// ```swift
    /// try value.canonicalData.write(to: url)
    /// ```
    public var canonicalData: Data { Data(canonicalBytes) }
}

extension Workflow {
    /// Parses and decodes one workflow file's bytes (`Workflow.load(_:)`): every
    /// error has the JSON path, and a line.
    ///
    /// ```swift
    /// let workflow = try Workflow.load(Data(contentsOf: url))
    /// ```
    public static func load(_ data: Data) throws(JSONError) -> Workflow { try load([UInt8](data)) }

    /// The workflow's file, as `import-actions` writes it: its canonical JSON text.
    ///
    /// ```swift
    /// try workflow.canonicalData.write(to: folder.appending(path: "\(workflow.id).json"))
    /// ```
    public var canonicalData: Data { json.canonicalData }
}

extension Event {
    /// Parses and decodes one event (one line of an events file, without its line end).
    ///
    /// ```swift
    /// let event = try Event.load(Data(#"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"t"}"#.utf8))
    /// ```
    public static func load(_ data: Data) throws(JSONError) -> Event { try load([UInt8](data)) }

    /// The event as one line of an events file: its canonical JSON, compact, keys sorted, and an LF.
    ///
    /// ```swift
    /// handle.write(event.canonicalLine)
    /// ```
    public var canonicalLine: Data { Data((json.compactText + "\n").utf8) }
}

extension LogRecord {
    /// Decodes one record of the execution log (one line of `simulate --json`, without its line end).
    ///
    /// ```swift
    /// let record = try LogRecord.load(line)
    /// ```
    public static func load(_ data: Data) throws(JSONError) -> LogRecord { try LogRecord(json: JSONValue.parse(data)) }

    /// The record as one line of the log: compact JSON, keys sorted, and an LF (as `simulate --json`).
    ///
    /// ```swift
    /// handle.write(record.canonicalLine)
    /// ```
    public var canonicalLine: Data { Data((json.compactText + "\n").utf8) }
}
