import Foundation
import HeadshotCore
import Imaging
import Plot
import SiteRoutes
import Vapor

/// The guided upload page: guidance, a drop zone that uploads each file on its own request with a
/// progress bar (public/js/upload.js), and the set of photos with verdicts. Without JavaScript the
/// same form posts the chosen files in one multipart request.
enum UploadPage {
    static func render(_ viewer: Viewer, order: Order, set: PhotoSet, refused: [(String, UploadError)] = [], status: HTTPResponseStatus = .ok) throws -> Response {
        let context = PageContext(viewer, title: "Upload your selfies")
        let orderID = try order.requireID()
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1("Upload your selfies"),
                .p(.class("lead"), "Add 8 to 20 recent photos of just you. We check each one as it arrives and tell you how to fix any that won't work."),
                UploadGuidance.render(),
                .unwrap(refused.isEmpty ? nil : refused) { list in
                    .div(.class("alert"), .attribute(named: "role", value: "alert"),
                        .p("Some files could not be used:"),
                        .ul(.forEach(list) { name, error in .li(.strong(.text(name)), .text(" — " + error.reason)) })
                    )
                },
                .form(.id("upload-form"), .method(.post), .enctype(.multipartData),
                      .action(SiteURL.order(.value(orderID), .photos).path([CSRF.fieldName: context.csrf])),
                    .div(.id("dropzone"), .class("dropzone"),
                        .label(.for("photo-input"),
                            .strong("Drop photos here"), .text(" or "), .span(.class("button small"), "choose photos")),
                        .p(.class("hint"), "JPEG, PNG, HEIC or WebP, up to 25 MB each. On a phone you can take new ones with the camera."),
                        .input(.id("photo-input"), .type(.file), .name("photos"), .attribute(named: "multiple", value: "multiple"),
                               .attribute(named: "accept", value: "image/jpeg,image/png,image/heic,image/heif,image/webp,.heic,.heif"))
                    ),
                    .button(.type(.submit), .class("button secondary no-script"), "Upload chosen photos")
                ),
                .ul(.id("upload-progress"), .class("upload-progress"), .attribute(named: "aria-live", value: "polite")),
                .div(.id("photo-set"), .attribute(named: "data-fragment", value: SiteURL.order(.value(orderID), .photoSet).path),
                    setNodes(order: orderID, set: set, csrf: context.csrf)
                )
            ),
            .script(.src(SiteURL.asset(.script("upload.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// Just the set (counter, cards, Continue), which the page's script reloads after each change.
    static func fragment(_ viewer: Viewer, order: Order, set: PhotoSet) throws -> Response {
        let html = setNodes(order: try order.requireID(), set: set, csrf: viewer.csrf).render()
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private static func setNodes(order: UUID, set: PhotoSet, csrf: String) -> Node<HTML.BodyContext> {
        .group(
            .p(.id("counter"), .class(set.ready ? "counter ready" : "counter"), .attribute(named: "role", value: "status"),
               .strong(.text("\(set.accepted) good \(set.accepted == 1 ? "photo" : "photos")")), .text(" of 8–20 needed"),
               .span(.class("advice"), .text(" — " + set.advice.prefix(1).uppercased() + set.advice.dropFirst()))),
            .forEach(set.hints) { hint in .p(.class("notice"), .text(hint.message + " " + hint.tip)) },
            .if(set.rejected > 0, .form(.method(.post), .action(SiteURL.order(.value(order), .removeUnusable).path), .class("remove-unusable"),
                Layout.csrfField(csrf),
                .button(.id("remove-unusable"), .type(.submit), .class("button secondary"),
                        .text(set.rejected == 1 ? "Remove the photo we can't use" : "Remove the \(set.rejected) photos we can't use"))
            )),
            .ul(.class("photo-grid"), .forEach(set.photos) { photo in card(order: order, photo: photo, csrf: csrf) }),
            .form(.method(.post), .action(SiteURL.order(.value(order), .proceed).path), .class("continue"),
                Layout.csrfField(csrf),
                .button(.id("continue"), .type(.submit), .class("button"),
                        .if(!set.ready, .attribute(named: "disabled", value: "disabled")),
                        "Continue")
            )
        )
    }

    private static func card(order: UUID, photo: PhotoSet.Photo, csrf: String) -> Node<HTML.ListContext> {
        let id = photo.id.uuidString.lowercased()
        let label: String
        switch photo.verdict {
        case .pass: label = "Good"
        case .warn: label = "Usable"
        case .fail: label = "Can't use"
        }
        return .li(.id("photo-\(id)"), .class("photo-card verdict-\(photo.verdict.rawValue)"),
            .div(.class("thumb"),
                .img(.src(SiteURL.order(.value(order), .thumbnail(.value(photo.id))).path(["size": "256"])), .alt("Your photo \(photo.upload.originalFilename)"),
                     .attribute(named: "loading", value: "lazy")),
                .unwrap(faceBox(photo)) { .raw($0) }
            ),
            .p(.class("verdict"), .span(.class("badge"), .text(label)), .text(" "), .span(.class("filename"), .text(photo.upload.originalFilename))),
            .ul(.class("findings"), .forEach(photo.report?.problems ?? []) { finding in
                .li(.class(finding.verdict.rawValue), .attribute(named: "data-code", value: finding.code.rawValue),
                    .strong(.text(finding.message)), .text(" "), .span(.class("tip"), .text(finding.tip)))
            }),
            .form(.method(.post), .action(SiteURL.order(.value(order), .deletePhoto(.value(photo.id))).path), .class("remove-photo"),
                Layout.csrfField(csrf),
                .button(.type(.submit), .class("link danger"), .text("Remove"))
            )
        )
    }

    /// The face box over the thumbnail, as SVG in the photo's own coordinates (no inline styles, so
    /// the strict Content-Security-Policy holds).
    private static func faceBox(_ photo: PhotoSet.Photo) -> String? {
        guard let report = photo.report, let box = report.faceBox else { return nil }
        func n(_ value: Double) -> String { String(Int(value.rounded())) }
        return #"<svg class="facebox" viewBox="0 0 \#(report.width) \#(report.height)" preserveAspectRatio="xMidYMid meet" aria-hidden="true">"#
            + #"<rect x="\#(n(box.x))" y="\#(n(box.y))" width="\#(n(box.width))" height="\#(n(box.height))" fill="none" stroke-width="\#(max(2, report.width / 150))"/></svg>"#
    }
}
