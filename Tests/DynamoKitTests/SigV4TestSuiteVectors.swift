/// Cases from AWS's published Signature Version 4 test suite (`aws-sig-v4-test-suite`), with the
/// expected canonical request, string to sign and signature of each. Every case uses the suite's
/// fixed context: key `AKIDEXAMPLE`, the example secret, region `us-east-1`, service `service`,
/// time 2015-08-30T12:36:00Z.
struct SigV4Vector: Sendable, CustomStringConvertible {
    var name: String
    var method: String
    var path: String
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)]
    var body: String = ""
    var canonicalRequest: String
    var stringToSignHash: String
    var signature: String

    var description: String { name }

    static let accessKeyID = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// 2015-08-30T12:36:00Z
    static let epochSeconds: Double = 1_440_938_160
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let host = (name: "Host", value: "example.amazonaws.com")
    static let date = (name: "X-Amz-Date", value: "20150830T123600Z")

    var stringToSign: String {
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\(stringToSignHash)"
    }

    static func canonical(_ lines: String...) -> String { lines.joined(separator: "\n") }

    static let all: [SigV4Vector] = [
        SigV4Vector(
            name: "get-vanilla", method: "GET", path: "/", headers: [host, date],
            canonicalRequest: canonical(
                "GET", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "",
                "host;x-amz-date", emptyHash),
            stringToSignHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SigV4Vector(
            name: "get-vanilla-query-order-key-case", method: "GET", path: "/",
            query: [("Param2", "value2"), ("Param1", "value1")], headers: [host, date],
            canonicalRequest: canonical(
                "GET", "/", "Param1=value1&Param2=value2", "host:example.amazonaws.com",
                "x-amz-date:20150830T123600Z", "", "host;x-amz-date", emptyHash),
            stringToSignHash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        SigV4Vector(
            name: "get-vanilla-utf8-query", method: "GET", path: "/", query: [("\u{1234}", "bar")],
            headers: [host, date],
            canonicalRequest: canonical(
                "GET", "/", "%E1%88%B4=bar", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "",
                "host;x-amz-date", emptyHash),
            stringToSignHash: "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        SigV4Vector(
            name: "get-header-key-duplicate", method: "GET", path: "/",
            headers: [host, ("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1"), date],
            canonicalRequest: canonical(
                "GET", "/", "", "host:example.amazonaws.com", "my-header1:value2,value2,value1",
                "x-amz-date:20150830T123600Z", "", "host;my-header1;x-amz-date", emptyHash),
            stringToSignHash: "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        SigV4Vector(
            name: "get-header-value-order", method: "GET", path: "/",
            headers: [
                host, ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"),
                ("My-Header1", "value2"), date,
            ],
            canonicalRequest: canonical(
                "GET", "/", "", "host:example.amazonaws.com", "my-header1:value4,value1,value3,value2",
                "x-amz-date:20150830T123600Z", "", "host;my-header1;x-amz-date", emptyHash),
            stringToSignHash: "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        SigV4Vector(
            name: "get-header-value-trim", method: "GET", path: "/",
            headers: [host, ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""), date],
            canonicalRequest: canonical(
                "GET", "/", "", "host:example.amazonaws.com", "my-header1:value1", "my-header2:\"a b c\"",
                "x-amz-date:20150830T123600Z", "", "host;my-header1;my-header2;x-amz-date", emptyHash),
            stringToSignHash: "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        SigV4Vector(
            name: "get-utf8", method: "GET", path: "/\u{1234}", headers: [host, date],
            canonicalRequest: canonical(
                "GET", "/%E1%88%B4", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "",
                "host;x-amz-date", emptyHash),
            stringToSignHash: "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        SigV4Vector(
            name: "get-space-unnormalized", method: "GET", path: "/example space/", headers: [host, date],
            canonicalRequest: canonical(
                "GET", "/example%20space/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z",
                "", "host;x-amz-date", emptyHash),
            stringToSignHash: "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        SigV4Vector(
            name: "post-header-key-sort", method: "POST", path: "/",
            headers: [host, ("My-Header1", "value1"), date],
            canonicalRequest: canonical(
                "POST", "/", "", "host:example.amazonaws.com", "my-header1:value1",
                "x-amz-date:20150830T123600Z", "", "host;my-header1;x-amz-date", emptyHash),
            stringToSignHash: "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
            signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        SigV4Vector(
            name: "post-x-www-form-urlencoded", method: "POST", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), host, date],
            body: "Param1=value1",
            canonicalRequest: canonical(
                "POST", "/", "", "content-type:application/x-www-form-urlencoded", "host:example.amazonaws.com",
                "x-amz-date:20150830T123600Z", "", "content-type;host;x-amz-date",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"),
            stringToSignHash: "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ]
}
