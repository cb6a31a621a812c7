import Foundation

/// A browser session's device in words, for the account page ("Chrome on Linux", "Safari on
/// iPhone"), read from its user agent; the raw string stays available as a tooltip.
package enum DeviceName {
    package static func describe(_ userAgent: String?) -> String {
        guard let agent = userAgent, !agent.isEmpty else { return "Unknown device" }
        let browser: String? = first(in: agent, [
            ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
            ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
            ("curl/", "curl"), ("python-requests", "Python script"), ("Go-http-client", "Go program"),
        ])
        let system: String? = first(in: agent, [
            ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"), ("Windows", "Windows"),
            ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
        ])
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) on \(system)"
        case let (browser?, nil): return browser
        case let (nil, system?): return "A browser on \(system)"
        case (nil, nil): return "Unknown device"
        }
    }

    private static func first(in agent: String, _ markers: [(String, String)]) -> String? {
        markers.first { agent.contains($0.0) }?.1
    }
}
