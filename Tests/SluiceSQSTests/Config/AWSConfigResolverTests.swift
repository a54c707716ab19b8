import Testing
import SluiceCore
@testable import SluiceSQS

/// A resolver over an in-memory home: `files` maps absolute paths to their text.
private func resolver(_ env: [String: String], files: [String: String] = [:]) -> AWSConfigResolver {
    AWSConfigResolver(environment: env, homeDirectory: "/home/op", readFile: { files[$0] })
}

private let credentialsFile = """
    # comment
    [default]
    aws_access_key_id = AKIADEFAULT
    aws_secret_access_key = defaultSecret

    [ops]
    aws_access_key_id=AKIAOPS
    aws_secret_access_key=opsSecret ; trailing comment
    aws_session_token = opsToken
    """

private let configFile = """
    [default]
    region = eu-west-1

    [profile ops]
    region = ap-southeast-2
    s3 =
      max_concurrent_requests = 5

    [profile only-config]
    region = us-west-2
    aws_access_key_id = AKIACONFIG
    aws_secret_access_key = configSecret

    [sso-session corp]
    sso_region = us-east-1
    """

private let homeFiles = [
    "/home/op/.aws/credentials": credentialsFile,
    "/home/op/.aws/config": configFile,
]

@Suite("AWS configuration")
struct AWSConfigResolverTests {
    @Test("environment keys win over the profile")
    func environmentFirst() throws {
        let c = try resolver(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret", "AWS_SESSION_TOKEN": "envToken"], files: homeFiles).resolve()
        #expect(c.credentials == AWSCredentials(accessKeyId: "AKIAENV", secretAccessKey: "envSecret", sessionToken: "envToken"))
        #expect(c.credentialsSource == "environment")
        #expect(c.region == "eu-west-1")
        #expect(c.endpoint.description == "https://sqs.eu-west-1.amazonaws.com/")
    }

    @Test("the default profile supplies keys and region from the two files")
    func defaultProfile() throws {
        let c = try resolver([:], files: homeFiles).resolve()
        #expect(c.credentials.accessKeyId == "AKIADEFAULT" && c.credentials.secretAccessKey == "defaultSecret")
        #expect(c.credentials.sessionToken == nil)
        #expect(c.region == "eu-west-1")
        #expect(c.credentialsSource.contains("/home/op/.aws/credentials"))
    }

    @Test("AWS_PROFILE picks a named profile; [profile x] sections of the config file apply")
    func namedProfile() throws {
        let c = try resolver(["AWS_PROFILE": "ops"], files: homeFiles).resolve()
        #expect(c.credentials == AWSCredentials(accessKeyId: "AKIAOPS", secretAccessKey: "opsSecret", sessionToken: "opsToken"))
        #expect(c.region == "ap-southeast-2")
        #expect(c.profile == "ops")
    }

    @Test("keys may live in the config file alone")
    func keysInConfig() throws {
        let c = try resolver(["AWS_PROFILE": "only-config"], files: homeFiles).resolve()
        #expect(c.credentials.accessKeyId == "AKIACONFIG")
        #expect(c.region == "us-west-2")
    }

    @Test("region precedence: --region, AWS_REGION, AWS_DEFAULT_REGION, profile")
    func regionPrecedence() throws {
        let env = ["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "ca-central-1"]
        #expect(try resolver(env, files: homeFiles).resolve(region: "sa-east-1").region == "sa-east-1")
        #expect(try resolver(env, files: homeFiles).resolve().region == "us-east-2")
        #expect(try resolver(["AWS_DEFAULT_REGION": "ca-central-1"], files: homeFiles).resolve().region == "ca-central-1")
        #expect(try resolver([:], files: homeFiles).resolve().region == "eu-west-1")
    }

    @Test("endpoint precedence: --endpoint-url, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL, regional AWS")
    func endpointPrecedence() throws {
        let env = ["AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL": "http://127.0.0.1:9999"]
        #expect(try resolver(env, files: homeFiles).resolve(endpointURL: "http://127.0.0.1:5000").endpoint.port == 5000)
        #expect(try resolver(env, files: homeFiles).resolve().endpoint.port == 4566)
        #expect(try resolver(["AWS_ENDPOINT_URL": "http://127.0.0.1:9999"], files: homeFiles).resolve().endpoint.port == 9999)
        #expect(try resolver([:], files: homeFiles).resolve(region: "cn-north-1").endpoint.host == "sqs.cn-north-1.amazonaws.com.cn")
    }

    @Test("an explicit endpoint without any region signs for us-east-1")
    func localEndpointDefaultsRegion() throws {
        let c = try resolver(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]).resolve(endpointURL: "http://127.0.0.1:5000")
        #expect(c.region == "us-east-1")
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files (with ~ expanded)")
    func fileOverrides() throws {
        let files = [
            "/home/op/alt/creds": "[default]\naws_access_key_id = AKIAALT\naws_secret_access_key = altSecret\n",
            "/etc/aws-config": "[default]\nregion = eu-north-1\n",
        ]
        let c = try resolver(["AWS_SHARED_CREDENTIALS_FILE": "~/alt/creds", "AWS_CONFIG_FILE": "/etc/aws-config"], files: files).resolve()
        #expect(c.credentials.accessKeyId == "AKIAALT")
        #expect(c.region == "eu-north-1")
    }

    @Test("missing or half-set credentials fail with a fix naming what to set")
    func missingCredentials() {
        #expect { try resolver([:]).resolve(region: "us-east-1") } throws: { error in
            let e = error as? SluiceError
            return e?.kind == .badInput && e?.fix?.contains("AWS_ACCESS_KEY_ID") == true
        }
        #expect { try resolver(["AWS_ACCESS_KEY_ID": "AKIA"]).resolve(region: "us-east-1") } throws: { error in
            (error as? SluiceError)?.message.contains("AWS_SECRET_ACCESS_KEY") == true
        }
        #expect { try resolver(["AWS_PROFILE": "nope"], files: homeFiles).resolve() } throws: { error in
            let e = error as? SluiceError
            return e?.message.contains("'nope'") == true && e?.message.contains("/home/op/.aws/credentials") == true
        }
    }

    @Test("no region anywhere and no endpoint is an error naming --region")
    func missingRegion() {
        #expect { try resolver(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]).resolve() } throws: { error in
            (error as? SluiceError)?.fix?.contains("--region") == true
        }
        #expect { try resolver(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]).resolve(region: "Not A Region") } throws: { error in
            (error as? SluiceError)?.kind == .badInput
        }
    }

    @Test("credentials print, debug-print and dump without the secret or the token")
    func redactedDescriptions() {
        let c = AWSCredentials(accessKeyId: "AKIAVISIBLE", secretAccessKey: "SECRETsluiceTEST123", sessionToken: "TOKENsluiceTEST456")
        var dumped = ""
        dump(c, to: &dumped)
        let config = SQSConfiguration(credentials: c, region: "us-east-1", endpoint: try! AWSEndpoint(parsing: "http://127.0.0.1:1"))
        for text in [c.description, c.debugDescription, "\(c)", String(reflecting: c), dumped, "\(config)", String(reflecting: config)] {
            #expect(!text.contains("SECRETsluiceTEST123"), "leaked in: \(text)")
            #expect(!text.contains("TOKENsluiceTEST456"), "leaked in: \(text)")
        }
        #expect(c.description.contains("AKIAVISIBLE"))
        #expect(c.redact("sig for SECRETsluiceTEST123 and TOKENsluiceTEST456") == "sig for <redacted> and <redacted>")
    }
}
