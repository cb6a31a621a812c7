import Foundation

/// Which backend renders each style preset, and for a remote one the model and its input template:
/// one JSON file (`REMOTE_PRESETS`), validated when it is read, with errors that name the file, the
/// key and what is expected. Secrets never go here (the token and webhook secret come from the
/// environment). Example:
///
///     {
///       "provider": { "price_per_second": 0.001525, "currency": "USD", "max_concurrent": 4,
///                     "prediction_deadline_seconds": 300, "references": "signed_urls" },
///       "presets": {
///         "corporate-grey": { "backend": "remote", "model": "acme/pulid", "outputs_per_prediction": 4,
///                             "input": { "main_face_image": "{{reference}}", "prompt": "…", "id_weight": 1.0,
///                                        "num_outputs": "{{outputs}}", "seed": "{{seed}}" } },
///         "modern-office": { "backend": "studio" }
///       }
///     }
///
/// Placeholders (a whole string value): `{{reference}}` (the best reference photo), `{{reference:N}}`
/// (the N-th, from 0), `{{references}}` (all, as a list), `{{outputs}}` and `{{seed}}` (numbers),
/// `{{backdrop}}` (a team's brand colour `#rrggbb`, or null). A preset the file does not name is
/// rendered by the studio renderer, and so is a remote preset without `{{backdrop}}` for an order
/// that must have its team's backdrop colour (the model could not be told it).
package struct RemotePresets: Sendable, Equatable {
    package enum Backend: String, Sendable, Equatable { case studio, remote }
    package enum ReferenceMode: String, Sendable, Equatable {
        /// Short-lived signed links to our normalised copies (the provider fetches them).
        case signedURLs = "signed_urls"
        /// The photos inline as data URIs (for providers that cannot reach us).
        case dataURIs = "data_uris"
    }

    package struct Preset: Sendable, Equatable {
        package let backend: Backend
        package let target: PredictionTarget?
        package let model: String?
        package let outputsPerPrediction: Int
        package let input: [String: JSONValue]
    }

    package let pricePerSecond: Double
    package let currency: String
    package let maxConcurrent: Int
    package let deadline: TimeInterval
    package let references: ReferenceMode
    package let presets: [String: Preset]

    package struct Invalid: Error, CustomStringConvertible, Equatable {
        package let problems: [String]
        package var description: String { problems.joined(separator: "\n") }
    }

    /// The backend of a preset (studio when the file does not name it).
    package func backend(of preset: String) -> Backend { presets[preset]?.backend ?? .studio }

    package var remotePresets: [String] { presets.filter { $0.value.backend == .remote }.map(\.key).sorted() }

    /// Reads and validates the file at `path`; every problem is reported at once, each naming its key.
    package static func load(path: String, knownPresets: [String]) throws -> RemotePresets {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(problems: ["REMOTE_PRESETS: cannot read \(path)."])
        }
        return try parse(Array(data), source: path, knownPresets: knownPresets)
    }

    package static func parse(_ bytes: [UInt8], source: String, knownPresets: [String]) throws -> RemotePresets {
        var problems: [String] = []
        func problem(_ key: String, _ text: String) { problems.append("REMOTE_PRESETS (\(source)): \(key): \(text)") }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Invalid(problems: ["REMOTE_PRESETS (\(source)): not a JSON object."])
        }
        for key in root.keys where !["provider", "presets"].contains(key) { problem(key, "unknown key (expected provider, presets).") }
        let provider = root["provider"] as? [String: Any] ?? [:]
        if root["provider"] != nil, root["provider"] as? [String: Any] == nil { problem("provider", "must be an object.") }
        for key in provider.keys where !["price_per_second", "currency", "max_concurrent", "prediction_deadline_seconds", "references"].contains(key) {
            problem("provider.\(key)", "unknown key.")
        }
        func number(_ key: String, _ range: ClosedRange<Double>, default value: Double) -> Double {
            guard let raw = provider[key] else { return value }
            guard let number = (raw as? NSNumber)?.doubleValue, range.contains(number) else {
                problem("provider.\(key)", "a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()).")
                return value
            }
            return number
        }
        let price = number("price_per_second", 0...10, default: 0)
        let concurrent = Int(number("max_concurrent", 1...64, default: 4))
        let deadline = number("prediction_deadline_seconds", 30...3_600, default: 300)
        let currency = provider["currency"] as? String ?? "USD"
        if currency.count != 3 || !currency.allSatisfy(\.isUppercase) { problem("provider.currency", "a three-letter code such as USD.") }
        var mode = ReferenceMode.signedURLs
        if let raw = provider["references"] {
            if let text = raw as? String, let parsed = ReferenceMode(rawValue: text) { mode = parsed }
            else { problem("provider.references", "\"signed_urls\" or \"data_uris\".") }
        }

        var presets: [String: Preset] = [:]
        let list = root["presets"] as? [String: Any]
        if list == nil { problem("presets", "an object naming each preset (\(knownPresets.joined(separator: ", "))).") }
        for (name, raw) in (list ?? [:]).sorted(by: { $0.key < $1.key }) {
            let key = "presets.\(name)"
            guard knownPresets.contains(name) else { problem(key, "not a preset (known: \(knownPresets.joined(separator: ", "))))."); continue }
            guard let object = raw as? [String: Any] else { problem(key, "must be an object."); continue }
            for field in object.keys where !["backend", "model", "outputs_per_prediction", "input"].contains(field) { problem("\(key).\(field)", "unknown key.") }
            guard let backendName = object["backend"] as? String, let backend = Backend(rawValue: backendName) else {
                problem("\(key).backend", "\"studio\" or \"remote\"."); continue
            }
            if backend == .studio {
                presets[name] = Preset(backend: .studio, target: nil, model: nil, outputsPerPrediction: 1, input: [:])
                continue
            }
            let model = object["model"] as? String
            let target = model.flatMap(PredictionTarget.init)
            if target == nil { problem("\(key).model", "owner/name, owner/name:version, a version id, deployments/owner/name, or cog.") }
            let outputs = (object["outputs_per_prediction"] as? NSNumber)?.intValue ?? 1
            if !(1...8).contains(outputs) { problem("\(key).outputs_per_prediction", "from 1 to 8.") }
            var input: [String: JSONValue] = [:]
            if let template = object["input"] as? [String: Any], let data = try? JSONSerialization.data(withJSONObject: template),
               let decoded = try? JSONDecoder().decode([String: JSONValue].self, from: data) {
                input = decoded
                let placeholders = Self.placeholders(in: .object(decoded))
                if !placeholders.contains(where: { $0.hasPrefix("{{reference") }) {
                    problem("\(key).input", "needs a reference photo: put \"{{reference}}\" (or \"{{reference:N}}\", \"{{references}}\") where the model takes the face.")
                }
                for bad in placeholders where !Self.isKnown(bad) { problem("\(key).input", "unknown placeholder \(bad).") }
            } else {
                problem("\(key).input", "an object: the model's input, with placeholders for the reference photos.")
            }
            presets[name] = Preset(backend: .remote, target: target, model: model, outputsPerPrediction: outputs, input: input)
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return RemotePresets(pricePerSecond: price, currency: currency, maxConcurrent: concurrent, deadline: deadline, references: mode,
                             presets: presets)
    }

    /// The model input for one prediction: the template with its placeholders filled in.
    package func input(for preset: String, references: [String], seed: Int, outputs: Int, backdrop: String? = nil) -> [String: JSONValue] {
        guard let template = presets[preset]?.input else { return [:] }
        return template.mapValues { Self.fill($0, references: references, seed: seed, outputs: outputs, backdrop: backdrop) }
    }

    /// Whether the preset's model is told the backdrop colour (its input uses `{{backdrop}}`).
    package func takesBackdrop(_ preset: String) -> Bool {
        presets[preset].map { Self.placeholders(in: .object($0.input)).contains("{{backdrop}}") } ?? false
    }

    private static func fill(_ value: JSONValue, references: [String], seed: Int, outputs: Int, backdrop: String?) -> JSONValue {
        switch value {
        case .string(let text):
            switch text {
            case "{{reference}}": return references.first.map(JSONValue.string) ?? .null
            case "{{references}}": return .array(references.map(JSONValue.string))
            case "{{seed}}": return .number(Double(seed))
            case "{{outputs}}": return .number(Double(outputs))
            case "{{backdrop}}": return backdrop.map(JSONValue.string) ?? .null
            default:
                if text.hasPrefix("{{reference:"), text.hasSuffix("}}"), let index = Int(text.dropFirst(12).dropLast(2)) {
                    return references.isEmpty ? .null : .string(references[index % references.count])
                }
                return value
            }
        case .array(let items): return .array(items.map { fill($0, references: references, seed: seed, outputs: outputs, backdrop: backdrop) })
        case .object(let fields): return .object(fields.mapValues { fill($0, references: references, seed: seed, outputs: outputs, backdrop: backdrop) })
        default: return value
        }
    }

    private static func placeholders(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): text.hasPrefix("{{") && text.hasSuffix("}}") ? [text] : []
        case .array(let items): items.flatMap(placeholders)
        case .object(let fields): fields.values.flatMap(placeholders)
        default: []
        }
    }

    private static func isKnown(_ placeholder: String) -> Bool {
        if ["{{reference}}", "{{references}}", "{{seed}}", "{{outputs}}", "{{backdrop}}"].contains(placeholder) { return true }
        guard placeholder.hasPrefix("{{reference:"), placeholder.hasSuffix("}}") else { return false }
        return Int(placeholder.dropFirst(12).dropLast(2)).map { $0 >= 0 } ?? false
    }
}
