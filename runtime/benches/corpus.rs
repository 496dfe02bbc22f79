// Response bodies shaped like X's, written for the benchmark (shared by benches and tests).
pub const CORPUS: &[(u16, &str)] = &[
    (
        429,
        r#"{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}"#,
    ),
    (
        403,
        r#"{"title":"Unsupported Authentication","detail":"Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].","type":"https://api.twitter.com/2/problems/unsupported-authentication","status":403}"#,
    ),
    (
        400,
        r#"{"errors":[{"parameters":{"ids":["x"]},"message":"The `ids` query parameter value [x] is not valid"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#,
    ),
    (
        403,
        r#"{"client_id":"123","detail":"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.","registration_url":"https://developer.x.com/","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}"#,
    ),
    (
        404,
        r#"{"type":"https://api.x.com/2/problems/resource-not-found","title":"Not Found Error","detail":"Could not find user with id: [1].","resource_type":"user","resource_id":"1","parameter":"id","value":"1"}"#,
    ),
    (401, r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#),
    (429, r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#),
    (
        400,
        r#"{"errors":[{"value":"cat has:media","id":"1273026480692322304","title":"DuplicateRule","type":"https://api.twitter.com/2/problems/duplicate-rules"}]}"#,
    ),
    (
        409,
        r#"{"title":"ConnectionException","detail":"This stream has no rules.","type":"https://api.twitter.com/2/problems/conflict"}"#,
    ),
    (
        429,
        r#"{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#,
    ),
    (
        403,
        r#"{"errors":[{"type":"https://api.x.com/2/problems/not-authorized-for-resource","title":"Authorization Error","detail":"Sorry, you are not authorized to see the Post with id: [1].","resource_type":"post","resource_id":"1","parameter":"id","value":"1","section":"data"}]}"#,
    ),
    (
        500,
        r#"{"type":"https://api.x.com/2/problems/internal-error","title":"Internal Error","detail":"Something went wrong."}"#,
    ),
    (429, r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#),
    (401, r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#),
    (
        403,
        r#"{"errors":[{"code":187,"message":"Status is a duplicate."},{"code":186,"message":"Tweet needs to be a bit shorter."}]}"#,
    ),
    (503, r#"{"errors":[{"code":130,"message":"Over capacity"}]}"#),
    (
        400,
        r#"{"errors":[{"parameter":"start_time","details":"invalid date","code":"INVALID_PARAMETER","value":"","message":"Expected time, got \"\" for start_time"}],"request":{"params":{"account_id":"hkk5"}}}"#,
    ),
    (
        423,
        r#"{"errors":[{"code":"LOCK_ACQUISITION_TIMEOUT","message":"Could not acquire lock"}],"request":{"params":{"account_id":"hkk5","with_deleted":"true"}}}"#,
    ),
    (401, r#"{"request":"/1.1/statuses/user_timeline.json","error":"Not authorized."}"#),
    (
        200,
        r#"{"data":[{"id":"1460323737035677698","text":"Introducing a new era","author_id":"2244994945","edit_history_post_ids":["1460323737035677698"]}],"errors":[{"value":"2","detail":"Could not find post with ids: [2].","title":"Not Found Error","resource_type":"post","parameter":"ids","resource_id":"2","type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#,
    ),
    (
        200,
        r#"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}"#,
    ),
    (
        400,
        r#"{"type":"https://api.x.com/2/problems/some-new-thing","title":"New","detail":"A problem type this crate does not know."}"#,
    ),
];
