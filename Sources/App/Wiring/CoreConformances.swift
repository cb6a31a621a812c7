import HeadshotCore
import Vapor

// The core's values as the web edge uses them: request and response bodies, and the signed-in user.
extension User: Authenticatable {}
extension Checkout.Choice: Content {}
extension OrderProgress: Content {}
extension CreateTokenRequest: Content {}
extension ProfileRequest: Content {}

/// The core's notification model, not Foundation's `Notification`.
typealias Notification = HeadshotCore.Notification
