import HeadshotCore
import SiteRoutes
import Vapor

/// The KPI dashboard and its CSV, for support and admins.
struct ConsoleKPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.admin(.kpis), use: page)
        routes.get(SiteURL.admin(.kpisCSV), use: csv)
    }

    /// `from` and `to` (inclusive days, YYYY-MM-DD); by default the last 8 weeks up to today. At most a year.
    static func period(_ req: Request, now: Date) throws -> (from: Date, to: Date) {
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        func parse(_ name: String) throws -> Date? {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            guard let date = day.date(from: raw) else { throw AccountError.invalidInput([name: "Give the date as YYYY-MM-DD."]) }
            return date
        }
        let to = try parse("to").map { $0.addingTimeInterval(86_400) } ?? KPIs.weekStart(now).addingTimeInterval(7 * 86_400)
        let from = try parse("from") ?? to.addingTimeInterval(-8 * 7 * 86_400)
        guard from < to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw AccountError.invalidInput(["from": "Choose a period of up to a year, its start before its end."])
        }
        return (from, to)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let (from, to) = try Self.period(req, now: services.clock.now())
        return KPIPage.render(req.viewer, rows: try await KPIs(db: req.db).rows(from: from, to: to), from: from, to: to)
    }

    @Sendable func csv(req: Request) async throws -> Response {
        let (from, to) = try Self.period(req, now: services.clock.now())
        let response = Response(status: .ok, body: .init(string: KPIs.csv(try await KPIs(db: req.db).rows(from: from, to: to))))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "kpis.csv")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
