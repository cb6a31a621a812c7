extension String {
    /// The text without `suffix` at its end (a base URL's trailing slash, say), or as it is.
    package func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
