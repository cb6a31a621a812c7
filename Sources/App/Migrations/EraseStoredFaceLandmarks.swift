import Fluent

/// Photos checked before landmarks stopped being stored kept the face's 68 landmarks in `findings`
/// (biometric data, by the consent's own words): take them out of every stored report.
struct EraseStoredFaceLandmarks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for upload in try await UploadAsset.query(on: database).all() {
            guard let findings = upload.findings, findings.contains("\"landmarks\"") else { continue }
            upload.findings = StoredReport.withoutBiometrics(findings)
            try await upload.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {}
}
