import Fluent

/// Every migration, in the order they run. Append; never reorder or edit one that has shipped.
enum AllMigrations {
    static let list: [any Migration] = [
        CreateUser(),
        CreateUserSession(),
        CreateAPIToken(),
        CreateOneTimeToken(),
        CreateLoginAttempt(),
        CreatePackage(),
        SeedPackages(),
        CreateOrder(),
        CreateUploadAsset(),
        CreateGenerationJob(),
        CreateGeneratedAsset(),
        CreateEntitlement(),
        CreateDeletionRequest(),
        CreateRefundRequest(),
        CreateSupportTicket(),
        CreateNotification(),
        CreateAuditEvent(),
        CreateOutboxMessage(),
        CreateRateEvent(),
        AddUploadAnalysis(),
        AddOrderCheckout(),
        CreatePaymentEvent(),
        CreateSandboxCheckout(),
        AddOneActiveJobPerOrder(),
        AddGeneratedAssetSequence(),
        CreateDownloadEvent(),
        AddGeneratedAssetFavourite(),
        CreateShareLink(),
        EraseStoredFaceLandmarks(),
        AddOrderPhotoSetCache(),
        CreateOutgoingMail(),
        ExpireOpenEndedTokens(),
    ]
}
