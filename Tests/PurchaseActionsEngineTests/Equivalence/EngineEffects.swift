import PurchaseActionsCore
import PurchaseActionsEngine

/// The engine's effects (`LogRecord.effect`: kind and details, Engine+Actions.swift) in the
/// reference model's normalised texts (ReferenceModel+Actions.swift).
enum EngineEffects {
    static func text(_ effect: Effect) -> String {
        guard case .object(let details) = effect.details else { return effect.kind }
        func string(_ key: String) -> String? { if case .string(let value)? = details[key] { value } else { nil } }
        func strings(_ value: JSONValue?) -> [String] {
            guard case .array(let items)? = value else { return [] }
            return items.map { if case .string(let text) = $0 { text } else { $0.compactText } }
        }
        switch effect.kind {
        case "add-tag", "remove-tag": return "\(effect.kind) \(string("tag") ?? "?")"
        case "send-email":
            let to = string("to") ?? ""
            let recipient =
                if to.hasPrefix("user ") { "user:" + to.dropFirst(5) } else if to.hasPrefix("owner ") { "owner:" + to.dropFirst(6) } else if to
                    == "the contact's owner (none assigned)"
                { "owner:none" } else { "contact" }
            return "send-email \(string("template") ?? "-") to \(recipient) subject=\(string("subject") ?? "")"
        case "send-sms": return "send-sms to=\(string("to") ?? "") from=\(string("from") ?? "-") message=\(string("message") ?? "")"
        case "notify": return "notify \(string("to") ?? "") row=\(strings(details["row"]).joined(separator: "|"))"
        case "create-task": return "create-task title=\(string("title") ?? "") assignee=\(string("assignee") ?? "none")"
        case "create-note", "create-appointment": return "\(effect.kind) \(string("title") ?? "")"
        case "webhook":
            guard case .array(let form)? = details["form"] else { return "webhook \(string("url") ?? "")" }
            let pairs = form.map { pair -> String in
                guard case .object(let member) = pair, case .string(let name)? = member["name"], case .string(let value)? = member["value"] else {
                    return pair.compactText
                }
                return "\(name)=\(value)"
            }
            return "webhook \(string("url") ?? "") \(pairs.joined(separator: "&"))"
        case "update-field": return "update-field \(string("field") ?? "")=\(string("value") ?? "")"
        case "assign-owner": return "assign-owner \(string("user") ?? "")"
        case "create-order":
            guard case .object(let order)? = details["order"] else { return "create-order ?" }
            let lines = if case .array(let lines)? = order["lines"] { lines.count } else { 0 }
            let autocharge = if case .bool(let value)? = order["autocharge"] { value } else { false }
            let plan = if case .string(let value)? = order["paymentPlan"] { value } else { "-" }
            let promo = if case .string(let value)? = order["promoCode"] { value } else { "-" }
            return "create-order lines=\(lines) autocharge=\(autocharge) plan=\(plan) promo=\(promo)"
        case "cancel-subscription": return "cancel-subscription \(string("subscriptionPlan") ?? "all")"
        case "complete-tasks": return "complete-tasks \(string("template") ?? "all")"
        case "create-opportunity":
            return "create-opportunity \(string("title") ?? "") stage=\(string("stage") ?? "-") owner=\(string("owner") ?? "-")"
        case "achieve-goal": return "achieve-goal \(string("integration") ?? "")/\(string("callName") ?? "")"
        case "legacy":
            var element = string("element") ?? ""
            if element.hasPrefix("{"), let close = element.firstIndex(of: "}") { element = String(element[element.index(after: close)...]) }
            return "legacy \(element)"
        default: return "\(effect.kind) \(effect.details.compactText)"
        }
    }

    /// The effects in a slice of the log, each with its contact.
    static func texts(_ records: [LogRecord]) -> [String] {
        records.compactMap { record in record.effect.map { "\(record.contactID ?? "?"): \(text($0))" } }
    }
}
