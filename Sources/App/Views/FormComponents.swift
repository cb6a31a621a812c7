import HeadshotCore
import Plot

/// Accessible form pieces: every input has a label, and its error sits next to it, linked by aria-describedby.
enum FormComponents {
    struct Field {
        var name: String
        var label: String
        var type: HTMLInputType = .text
        var value: String? = nil
        var autocomplete: String
        var hint: String? = nil
        var error: String? = nil
        var required = true
    }

    static func field(_ field: Field) -> Node<HTML.FormContext> {
        let errorID = "\(field.name)-error", hintID = "\(field.name)-hint"
        let describedBy = [field.hint == nil ? nil : hintID, field.error == nil ? nil : errorID].compactMap { $0 }.joined(separator: " ")
        return .div(.class(field.error == nil ? "field" : "field has-error"),
            .label(.for(field.name), .text(field.label)),
            .unwrap(field.hint) { .p(.id(hintID), .class("hint"), .text($0)) },
            .unwrap(field.error) { .p(.id(errorID), .class("error"), .text($0)) },
            .input(
                .id(field.name), .name(field.name), .type(field.type), .value(field.value ?? ""),
                .required(field.required),
                .attribute(named: "autocomplete", value: field.autocomplete),
                .attribute(named: "aria-describedby", value: describedBy),
                .attribute(named: "aria-invalid", value: field.error == nil ? nil : "true")
            )
        )
    }

    /// A summary at the top of a form (with role=alert so screen readers announce it).
    static func alert(_ message: String?) -> Node<HTML.BodyContext> {
        .unwrap(message) { .div(.class("alert"), .attribute(named: "role", value: "alert"), .p(.text($0))) }
    }

    static func notice(_ message: String?) -> Node<HTML.BodyContext> {
        .unwrap(message) { .div(.class("notice"), .attribute(named: "role", value: "status"), .p(.text($0))) }
    }
}
