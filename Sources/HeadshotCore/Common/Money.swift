import Foundation

/// Prices as people read them: "$29", "$12.50", "EUR 29".
package enum Money {
    package static func format(minor: Int, currency: String) -> String {
        let symbol = currency == "USD" ? "$" : currency + " "
        return minor % 100 == 0 ? "\(symbol)\(minor / 100)" : String(format: "%@%d.%02d", symbol, minor / 100, minor % 100)
    }
}
