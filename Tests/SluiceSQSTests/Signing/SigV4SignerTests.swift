import Foundation
import Testing
import SluiceCore
@testable import SluiceSQS

/// AWS's SigV4 test suite credentials and time (get-vanilla, post-vanilla, …).
private let suiteCredentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
private let suiteTime = Timestamp(millis: 1_440_938_160_000) // 2015-08-30T12:36:00Z

@Suite("SigV4 signing")
struct SigV4SignerTests {
    let signer = SigV4Signer(credentials: suiteCredentials, region: "us-east-1", service: "service")

    @Test("AWS test suite: get-vanilla")
    func getVanilla() throws {
        let signature = signer.sign(method: "GET", endpoint: try AWSEndpoint(parsing: "https://example.amazonaws.com/"), headers: [], body: [], at: suiteTime)
        #expect(signature.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signature.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test("AWS test suite: post-vanilla")
    func postVanilla() throws {
        let signature = signer.sign(method: "POST", endpoint: try AWSEndpoint(parsing: "https://example.amazonaws.com/"), headers: [], body: [], at: suiteTime)
        #expect(signature.signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    @Test("AWS test suite: get-vanilla-query-order-key-case sorts the query")
    func queryOrder() throws {
        let endpoint = try AWSEndpoint(parsing: "https://example.amazonaws.com/?Param2=value2&Param1=value1")
        let signature = signer.sign(method: "GET", endpoint: endpoint, headers: [], body: [], at: suiteTime)
        #expect(signature.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("the signing time becomes x-amz-date and the scope's day")
    func amzDate() {
        #expect(SigV4Signer.amzDate(suiteTime) == "20150830T123600Z")
        #expect(SigV4Signer.amzDate(Timestamp(millis: 1_709_251_199_999)) == "20240229T235959Z")
    }

    @Test("a session token is sent and signed; the Authorization header never contains the secret")
    func sessionToken() throws {
        let creds = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRETsluiceTEST123", sessionToken: "TOKENsluiceTEST456")
        let s = SigV4Signer(credentials: creds, region: "eu-west-1").sign(
            method: "POST", endpoint: try AWSEndpoint(parsing: "http://127.0.0.1:5000/"),
            headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array("{}".utf8), at: suiteTime
        )
        #expect(s.signedHeaders == "content-type;host;x-amz-date;x-amz-security-token")
        #expect(s.headers.contains { $0.name == "host" && $0.value == "127.0.0.1:5000" })
        #expect(s.headers.contains { $0.name == "x-amz-security-token" && $0.value == "TOKENsluiceTEST456" })
        #expect(!s.authorization.contains("SECRETsluiceTEST123"))
    }

    struct VectorFile: Decodable {
        struct Vector: Decodable, CustomTestStringConvertible {
            struct Expected: Decodable {
                var canonicalRequest: String
                var stringToSign: String
                var authorization: String
                var amzDate: String
            }
            var name: String
            var method: String
            var url: String
            var region: String
            var service: String
            var accessKeyId: String
            var secretAccessKey: String
            var sessionToken: String?
            var includeContentSHA256: Bool
            var timeMillis: Int64
            var headers: [[String]]
            var body: String
            var expected: Expected
            var testDescription: String { name }
        }
        var vectors: [Vector]
    }

    static func vectors() throws -> [VectorFile.Vector] {
        let url = try #require(Bundle.module.url(forResource: "sigv4-vectors", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url)).vectors
    }

    @Test("botocore vectors: SQS JSON requests sign identically", arguments: try vectors())
    func botocoreVector(_ v: VectorFile.Vector) throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, sessionToken: v.sessionToken),
            region: v.region, service: v.service, includeContentSHA256: v.includeContentSHA256
        )
        let signature = signer.sign(
            method: v.method, endpoint: try AWSEndpoint(parsing: v.url),
            headers: v.headers.map { ($0[0], $0[1]) }, body: Array(v.body.utf8), at: Timestamp(millis: v.timeMillis)
        )
        #expect(signature.canonicalRequest == v.expected.canonicalRequest)
        #expect(signature.stringToSign == v.expected.stringToSign)
        #expect(signature.authorization == v.expected.authorization)
        #expect(signature.headers.contains { $0.name == "x-amz-date" && $0.value == v.expected.amzDate })
    }

    @Test("the fixture covers tokens, several regions and the content hash header")
    func fixtureCoverage() throws {
        let all = try Self.vectors()
        #expect(all.count >= 6)
        #expect(all.contains { $0.sessionToken != nil } && all.contains { $0.sessionToken == nil })
        #expect(Set(all.map(\.region)).count >= 4)
        #expect(all.contains { $0.includeContentSHA256 })
    }
}

@Suite("Endpoints")
struct AWSEndpointTests {
    @Test("URLs parse into host, port and path, and print back")
    func parse() throws {
        let e = try AWSEndpoint(parsing: "http://127.0.0.1:5000")
        #expect(e.host == "127.0.0.1" && e.port == 5000 && e.path == "/")
        #expect(e.hostHeader == "127.0.0.1:5000")
        #expect(e.description == "http://127.0.0.1:5000/")
        let aws = try AWSEndpoint(parsing: "https://sqs.eu-west-1.amazonaws.com:443/")
        #expect(aws.hostHeader == "sqs.eu-west-1.amazonaws.com")
    }

    @Test("non-URLs are refused naming the field", arguments: ["127.0.0.1:5000", "ftp://x", "http://", "http://host:99999", "http://a b"])
    func bad(_ text: String) {
        #expect {
            try AWSEndpoint(parsing: text, field: "AWS_ENDPOINT_URL")
        } throws: { error in
            let e = error as? SluiceError
            return e?.kind == .badInput && e?.message.contains("AWS_ENDPOINT_URL") == true
        }
    }
}
