import CommandLineSupport
import LegacyImport
import PurchaseActions
import PurchaseActionsCore

/// The names events use that the automation does not know (issue 12): a product or subscription
/// plan not in the account's catalogue (the export's with `--export`, `account.json`'s with an
/// import's output folder; not checked for a folder of bare workflow files, which has no catalogue),
/// and a workflow (such as the action set `action-set.<id>`) named by an `email.*` event that is not
/// among the workflows. Each distinct name is reported once, at the first event line naming it; with
/// `--strict` (``strict``) every line naming one is reported, as the bad line it is.
struct UnknownNames {
    /// The catalogue's ids, when there is a catalogue.
    let catalogue: ValidationCatalogue?
    /// The ids of the workflows run.
    let workflowIDs: Set<String>
    /// With `--strict`: each line naming an unknown name is refused, so each is reported.
    let strict: Bool
    /// The names reported so far (`product:<id>`, ...), so each is reported once (without `--strict`).
    private var reported: Set<String> = []

    init(catalogue: ValidationCatalogue?, workflowIDs: Set<String>, strict: Bool = false) {
        self.catalogue = catalogue
        self.workflowIDs = workflowIDs
        self.strict = strict
    }

    /// What `event` names that is unknown and not reported before: `$.path: message` each.
    mutating func check(_ event: Event) -> [String] {
        var found: [String] = []
        if let catalogue {
            for (index, line) in (event.order?.lines ?? []).enumerated() {
                let path = JSONPath.root.member("order").member("lines").index(index)
                switch line.item {
                case .product(let id, _): note("product", id, known: catalogue.products, at: path.member("product"), into: &found)
                case .subscriptionPlan(let id): note("subscription plan", id, known: catalogue.plans, at: path.member("subscriptionPlan"), into: &found)
                }
            }
            if let plan = event.subscription?.plan {
                note("subscription plan", plan, known: catalogue.plans, at: JSONPath.root.member("subscription").member("plan"), into: &found)
            }
        }
        if let workflow = event.email?.workflow {
            let noun = workflow.hasPrefix("action-set.") ? "action set" : "workflow"
            note(noun, workflow, known: workflowIDs, at: JSONPath.root.member("email").member("workflow"), into: &found)
        }
        return found
    }

    private mutating func note(_ noun: String, _ id: String, known: Set<String>, at path: JSONPath, into found: inout [String]) {
        guard !known.contains(id), strict || reported.insert("\(noun):\(id)").inserted else { return }
        let whereKnown = noun == "action set" || noun == "workflow" ? "the workflows" : "the account's catalogue"
        let consequence =
            strict
            ? "so no workflow could react to it as it would to a known one; with --strict the line is a bad line and does not run"
            : "so no workflow can react to it as it would to a known one (later events naming it are not reported again; --strict makes this an error)"
        found.append("\(path): \(noun) '\(DisplayText.escape(id))' is not in \(whereKnown), \(consequence)")
    }
}

extension SimulationInput {
    /// The catalogue of the account the workflows came from: the export's (`--export`), or
    /// `account.json`'s for an import's output folder (``LoadedAutomation/account``); nil for bare
    /// workflow files.
    func catalogue(export: String?, limits: ExportLimits) throws -> ValidationCatalogue? {
        guard let export else { return loaded.account.map { ValidationCatalogue($0.catalogue) } }
        // LoadedAutomation(exportFile:) keeps no catalogue: the export is read again up to the end of
        // its catalogue, which comes before any action set.
        do {
            let stream = try ExportReader(limits: limits).stream(file: export)
            while let item = try stream.next() {
                if case .catalogue(let catalogue) = item { return ValidationCatalogue(catalogue) }
                // The account and extensions (of <export>, or between sections) precede the catalogue.
                if case .account = item { continue }
                if case .extension = item { continue }
                break
            }
        } catch {
            throw LoadError(error)
        }
        return ValidationCatalogue()
    }
}

extension Simulate {
    /// Prints, for the event at `line`, the names it uses that the automation does not know
    /// (``UnknownNames``): warnings, or with `--strict` errors; true when `--strict` refuses the line.
    func refusesUnknownNames(_ event: Event, line: Int, _ names: inout UnknownNames) -> Bool {
        let found = names.check(event)
        for message in found { Terminal.error("\(events):\(line): \(strict ? "error" : "warning"): \(message)") }
        return strict && !found.isEmpty
    }
}
