import Foundation
import FluentKit

// Fluent finds a model's properties by reflection (a Mirror over the instance) whenever it needs them:
// for the columns a query selects, for its timestamps and soft-deletion filter, and for every row it
// decodes. Measured on the release build, that reflection was a quarter of the CPU of a signed-in page
// or API call. The models read on every request list their properties here instead (`Fields.properties`
// is a requirement of Fluent's protocol, so Fluent's own code uses these lists).
// `ModelPropertiesTests` checks each list against reflection: a property added to one of these models
// and not here fails the tests, naming it.

extension User {
    package var properties: [any AnyProperty] {
        [$id, $email, $passwordHash, $role, $emailVerifiedAt, $passwordChangedAt, $legalHoldReason, $legalHoldAt,
         $displayName, $jobTitle, $createdAt, $updatedAt, $orders]
    }
}

extension APIToken {
    package var properties: [any AnyProperty] {
        [$id, $user, $kind, $teamID, $name, $tokenHash, $tokenPrefix, $createdAt, $lastUsedAt, $expiresAt, $revokedAt]
    }
}

extension UserSession {
    package var properties: [any AnyProperty] {
        [$id, $user, $tokenHash, $createdAt, $lastSeenAt, $revokedAt, $ip, $userAgent]
    }
}

extension Order {
    package var properties: [any AnyProperty] {
        [$id, $user, $kind, $teamID, $seatCount, $package, $status, $statusChangedAt, $headshotCount, $amountMinor,
         $currency, $presets, $rerunCredits, $backdropColour, $studioFallback, $legalHoldReason, $legalHoldAt,
         $photoSetCache, $consentVersion, $consentedAt, $paymentGateway, $checkoutReference, $paymentReference,
         $createdAt, $updatedAt, $uploads]
    }
}

extension Package {
    package var properties: [any AnyProperty] {
        [$id, $code, $name, $headshotCount, $maxPresets, $queuePriority, $rerunCredits, $priceMinor, $currency,
         $active, $sortOrder, $createdAt, $updatedAt]
    }
}

extension GenerationJob {
    package var properties: [any AnyProperty] {
        [$id, $order, $kind, $payload, $status, $statusChangedAt, $priority, $runAt, $attempts, $maxAttempts,
         $leaseOwner, $leaseToken, $leaseExpiresAt, $lastError, $progressDone, $progressTotal, $createdAt, $updatedAt]
    }
}

extension GeneratedAsset {
    package var properties: [any AnyProperty] {
        [$id, $order, $job, $preset, $sequence, $blobKey, $width, $height, $identityDistance, $shot, $originCode,
         $favourite, $status, $statusChangedAt, $expiresAt, $createdAt, $updatedAt]
    }
}

extension Entitlement {
    package var properties: [any AnyProperty] {
        [$id, $order, $user, $package, $headshotCount, $rerunCredits, $paymentReference, $status, $statusChangedAt,
         $createdAt, $updatedAt]
    }
}

extension Notification {
    package var properties: [any AnyProperty] {
        [$id, $user, $kind, $title, $body, $link, $status, $statusChangedAt, $createdAt, $updatedAt]
    }
}

extension UploadAsset {
    package var properties: [any AnyProperty] {
        [$id, $order, $status, $statusChangedAt, $blobKey, $originalFilename, $byteSize, $width, $height,
         $qualityScore, $findings, $verdict, $faceDescriptor, $expiresAt, $createdAt, $updatedAt]
    }
}

extension AuditEvent {
    package var properties: [any AnyProperty] {
        [$id, $actorType, $actorID, $action, $subjectType, $subjectID, $fromState, $toState, $requestID, $detail,
         $createdAt]
    }
}
