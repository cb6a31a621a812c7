import Foundation
import Testing
@testable import BlobStorage

/// SigV4 against the worked example in AWS's S3 documentation ("Example: GET Object"), so the
/// signing is proven against AWS's own numbers and not only against a server that may not check it.
@Suite("S3 request signing") struct S3SignerTests {
    @Test func getObjectWithARangeMatchesAWSsPublishedSignature() {
        let signer = S3Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1"
        )
        let headers = signer.sign(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!,
            headers: [("Range", "bytes=0-9")], payloadHash: S3Signer.emptyPayloadHash,
            date: Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        )
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(S3Signer.emptyPayloadHash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func queryParametersAreSortedAndEncodedOnce() {
        let url = URL(string: "https://h/b/k?uploadId=a%2Fb&partNumber=2")!
        #expect(S3Signer.canonicalQuery(url) == "partNumber=2&uploadId=a%2Fb")
        #expect(S3Signer.encode("a b/c~", keepSlash: true) == "a%20b/c~")
    }
}
