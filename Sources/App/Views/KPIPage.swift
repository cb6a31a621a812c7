import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The KPI dashboard: a period, each figure's weekly values overall as a small server-drawn SVG
/// chart and a table, and the same by package; the CSV has every row.
enum KPIPage {
    static func render(_ viewer: Viewer, rows: [KPIs.Row], from: Date, to: Date) -> Response {
        let context = PageContext(viewer, title: "KPIs")
        let overall = rows.filter { $0.package == KPIs.all }
        let byPackage = rows.filter { $0.package != KPIs.all }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        let fromDay = day.string(from: from), toDay = day.string(from: to.addingTimeInterval(-1))
        return Layout.page(context,
            .section(.class("panel"), .id("kpis"),
                .h1("KPIs"), AdminPages.nav(context),
                .form(.method(.get), .action(SiteURL.admin(.kpis).path), .class("inline-form"), .id("kpi-period"),
                    .label(.for("from"), "From "), .input(.id("from"), .name("from"), .type(.date), .value(fromDay)),
                    .label(.for("to"), " to "), .input(.id("to"), .name("to"), .type(.date), .value(toDay)),
                    .button(.type(.submit), .class("button secondary"), "Show")),
                .p(.a(.id("kpi-csv"), .href(SiteURL.admin(.kpisCSV).path(["from": fromDay, "to": toDay])), "Download as CSV"),
                   .text(" · Weeks start on Monday (UTC). A figure with nothing to count shows –.")),
                .div(.class("kpi-grid"), .forEach(KPIs.Figure.allCases) { figure in
                    .article(.class("card kpi"), .id("kpi-\(figure.rawValue)"),
                        .h2(.text(figure.label)),
                        .raw(chart(figure, overall)),
                        .p(.class("kpi-latest"), .text("Latest week: " + figure.format(overall.last?.values[figure]))))
                }),
                .h2("Weekly, all packages"),
                table(overall, id: "kpi-weekly", day: day),
                .h2("By package"),
                table(byPackage, id: "kpi-by-package", day: day)
            )
        )
    }

    static func table(_ rows: [KPIs.Row], id: String, day: ISO8601DateFormatter) -> Node<HTML.BodyContext> {
        .div(.class("table-wrap"), .table(.id(id),
            .tr(.th("Week"), .th("Package"), .forEach(KPIs.Figure.allCases) { .th(.text($0.label)) }),
            .forEach(rows) { row in
                .tr(.td(.text(day.string(from: row.weekStart))), .td(.text(row.package)),
                    .forEach(KPIs.Figure.allCases) { figure in .td(.attribute(named: "data-kpi", value: figure.rawValue), .text(figure.format(row.values[figure]))) })
            }))
    }

    /// A 240×80 line chart of the weekly values (missing weeks leave a gap), drawn on the server.
    static func chart(_ figure: KPIs.Figure, _ rows: [KPIs.Row]) -> String {
        let width = 240.0, height = 80.0, pad = 6.0
        let values = rows.map { $0.values[figure] }
        let top = max(figure.isRate ? 1 : (values.compactMap { $0 }.max() ?? 1), 1e-9)
        let step = values.count > 1 ? (width - 2 * pad) / Double(values.count - 1) : 0
        var segments: [[(Double, Double)]] = [[]]
        for (index, value) in values.enumerated() {
            guard let value else { if !(segments.last?.isEmpty ?? true) { segments.append([]) }; continue }
            segments[segments.count - 1].append((pad + Double(index) * step, height - pad - (height - 2 * pad) * value / top))
        }
        let lines = segments.filter { !$0.isEmpty }.map { points in
            let path = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            let dots = points.map { String(format: #"<circle cx="%.1f" cy="%.1f" r="2.5"/>"#, $0.0, $0.1) }.joined()
            return #"<polyline fill="none" stroke="currentColor" stroke-width="2" points="\#(path)"/>"# + dots
        }.joined()
        let title = "\(figure.label): " + values.map { figure.format($0) }.joined(separator: ", ")
        return #"<svg class="kpi-chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" width="\#(Int(width))" height="\#(Int(height))" role="img" aria-label="\#(escape(title))">"#
            + #"<line x1="\#(pad)" y1="\#(height - pad)" x2="\#(width - pad)" y2="\#(height - pad)" stroke="silver"/>"# + lines + "</svg>"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
