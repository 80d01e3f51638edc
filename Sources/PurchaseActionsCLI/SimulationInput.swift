import ArgumentParser
import Foundation
import LegacyImport
import PurchaseActions
import PurchaseActionsEngine

/// A failure loading the simulation's input, with its exit code.
struct InputFailure: Error {
    var message: String
    var exitCode: ExitCode
}

/// The workflows to run and what the engine needs to know about the catalogue.
struct SimulationInput {
    var workflows: [Workflow]
    var productOfPlan: [String: String]
    /// The company and users templates read: an export's, or none for workflow files.
    var account = AccountProfile()
    let effects = RecordingEffectSink()

    /// Compiles an export as `import-actions` does.
    static func fromExport(_ path: String) throws -> SimulationInput {
        do {
            let document = try ExportReader().read(file: path)
            let migration = LegacyCompiler.compile(document.account)
            let plans = document.account.catalogue.subscriptionPlans.mapValues(\.productID)
            return SimulationInput(workflows: migration.workflows, productOfPlan: plans, account: AccountProfile(document.account))
        } catch {
            throw InputFailure(message: error.description, exitCode: ExitCode(error.code == .missingInput ? 66 : 65))
        }
    }

    /// Loads every `*.json` file of a folder as a workflow.
    static func fromFolder(_ path: String) throws -> SimulationInput {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw InputFailure(message: "\(path): error: no such folder", exitCode: ExitCode(66))
        }
        var workflows: [Workflow] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let file = path + "/" + name
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputFailure(message: "\(file): error: cannot read the file", exitCode: ExitCode(74))
            }
            do {
                workflows.append(try Workflow.load([UInt8](data)))
            } catch {
                throw InputFailure(message: "\(file):\(error.line.map { "\($0):" } ?? "") error: \(error.path): \(error.message)", exitCode: ExitCode(65))
            }
        }
        guard !workflows.isEmpty else { throw InputFailure(message: "\(path): error: no workflow files (*.json) in the folder", exitCode: ExitCode(65)) }
        return SimulationInput(workflows: workflows, productOfPlan: [:])
    }

    /// The non-blank lines of an events file as bytes, numbered from 1: split on LF, a CR before it
    /// dropped; each line's UTF-8 is checked by the JSON parser, so a bad byte fails only its line.
    static func eventLines(_ path: String) throws -> [(Int, [UInt8])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Console.error("\(path): error: no such file")
            throw ExitCode(66)
        }
        return [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            return trimmed.allSatisfy { [0x20, 0x09, 0x0D].contains($0) } ? nil : (index + 1, Array(trimmed))
        }
    }
}

/// Standard error.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
