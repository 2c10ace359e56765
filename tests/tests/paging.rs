//! Paged listings through a generated client (tests/specs/listing) and a real local
//! endpoint: three pages of each kind, an empty listing, an error on the second page, and
//! the blocking iterators.

use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::Credential;
use tencentcloud_runtime::ErrorKind;
use tencentcloud_tests::obstacle_course::listing::v20240101 as listing;

use listing::{
    Client, DescribeThingsRequest, ListPagesRequest, ListTokensRequest, SearchLogsRequest,
};

fn credential() -> Credential {
    Credential::new("AKIDpaging", "paging-secret")
}

async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

async fn collect<S, T>(mut stream: S) -> Vec<T>
where
    S: futures_core::Stream<Item = T> + Unpin,
{
    let mut all = Vec::new();
    while let Some(item) = next(&mut stream).await {
        all.push(item);
    }
    all
}

fn things(ids: &[&str]) -> serde_json::Value {
    json!(ids
        .iter()
        .map(|id| json!({"ThingId": id}))
        .collect::<Vec<_>>())
}

/// What each request of `action` asked for, as its JSON body.
fn sent(endpoint: &LocalEndpoint, action: &str) -> Vec<serde_json::Value> {
    endpoint
        .requests_for(action)
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

async fn client(replies: Vec<(&str, Vec<Reply>)>) -> (LocalEndpoint, Client) {
    let (endpoint, config) = tencentcloud_tests::local_endpoint(&credential(), []).await;
    for (action, script) in replies {
        endpoint.script(action, script);
    }
    (endpoint, Client::new(config.build().unwrap()))
}

#[tokio::test]
async fn three_pages_by_offset_stop_at_the_total_without_asking_past_the_end() {
    let (endpoint, client) = client(vec![(
        "DescribeThings",
        vec![
            Reply::success(json!({"TotalCount": 5, "ThingSet": things(&["a", "b"])})),
            Reply::success(json!({"TotalCount": 5, "ThingSet": things(&["c", "d"])})),
            Reply::success(json!({"TotalCount": 5, "ThingSet": things(&["e"])})),
            Reply::error("InternalError", "never asked for"),
        ],
    )])
    .await;
    let request = DescribeThingsRequest::new()
        .with_limit(2)
        .with_zone("ap-guangzhou-1");
    let ids: Vec<String> = collect(client.describe_things_items(request))
        .await
        .into_iter()
        .map(|t| t.unwrap().thing_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let bodies = sent(&endpoint, "DescribeThings");
    assert_eq!(bodies.len(), 3, "no fourth request");
    for (body, offset) in bodies.iter().zip([0, 2, 4]) {
        assert_eq!(body["Offset"], offset);
        assert_eq!(body["Limit"], 2);
        assert_eq!(
            body["Zone"], "ap-guangzhou-1",
            "the rest of the request is kept"
        );
    }
}

#[tokio::test]
async fn three_pages_by_page_number_and_a_short_last_page() {
    let (endpoint, client) = client(vec![(
        "ListPages",
        vec![
            Reply::success(json!({"Names": ["a", "b"]})),
            Reply::success(json!({"Names": ["c", "d"]})),
            Reply::success(json!({"Names": ["e"]})),
        ],
    )])
    .await;
    let pages = collect(client.list_pages_pages(ListPagesRequest::new().with_page_size(2))).await;
    let names: Vec<Vec<String>> = pages.into_iter().map(|p| p.unwrap().names).collect();
    assert_eq!(names, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    let numbers: Vec<i64> = sent(&endpoint, "ListPages")
        .iter()
        .map(|b| b["PageNumber"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
}

#[tokio::test]
async fn three_pages_by_cursor_end_when_the_token_does() {
    let (endpoint, client) = client(vec![
        (
            "ListTokens",
            vec![
                Reply::success(json!({"Items": things(&["a"]), "NextToken": "t1"})),
                Reply::success(json!({"Items": things(&["b"]), "NextToken": "t2"})),
                Reply::success(json!({"Items": things(&["c"])})),
            ],
        ),
        (
            "SearchLogs",
            vec![
                Reply::success(json!({"Results": ["x"], "Context": "c1"})),
                Reply::success(json!({"Results": [], "Context": ""})),
            ],
        ),
    ])
    .await;
    let ids: Vec<String> = collect(client.list_tokens_items(ListTokensRequest::new()))
        .await
        .into_iter()
        .map(|t| t.unwrap().thing_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let tokens: Vec<Option<String>> = sent(&endpoint, "ListTokens")
        .iter()
        .map(|b| b["NextToken"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
    // The extension's cursor (`Context`) and items (`Results`, though the response has two lists).
    let lines = collect(client.search_logs_items(SearchLogsRequest::new())).await;
    assert_eq!(
        lines.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        ["x"]
    );
    assert_eq!(endpoint.requests_for("SearchLogs").len(), 2);
}

#[tokio::test]
async fn an_empty_listing_is_one_page_and_no_items() {
    let (endpoint, client) = client(vec![(
        "DescribeThings",
        vec![
            Reply::success(json!({"TotalCount": 0, "ThingSet": []})),
            Reply::success(json!({"TotalCount": 0, "ThingSet": []})),
        ],
    )])
    .await;
    assert!(
        collect(client.describe_things_items(DescribeThingsRequest::new()))
            .await
            .is_empty()
    );
    assert_eq!(endpoint.requests().len(), 1);
    let pages = collect(client.describe_things_pages(DescribeThingsRequest::new())).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap().total_count, 0);
}

#[tokio::test]
async fn an_error_on_the_second_page_is_the_last_item_and_retries_apply_per_page() {
    let (endpoint, client) = client(vec![(
        "DescribeThings",
        vec![
            Reply::success(json!({"TotalCount": 6, "ThingSet": things(&["a", "b"])})),
            Reply::error("RequestLimitExceeded", "retried"),
            Reply::error("ResourceNotFound.Zone", "gone"),
            Reply::success(json!({"TotalCount": 6, "ThingSet": things(&["c", "d"])})),
        ],
    )])
    .await;
    let pages =
        collect(client.describe_things_pages(DescribeThingsRequest::new().with_limit(2))).await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    let error = pages[1].as_ref().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Service(e) if e.code == "ResourceNotFound.Zone"));
    // The rate limit was retried within the second page; nothing after the error.
    assert_eq!(endpoint.requests().len(), 3);
}

#[test]
fn the_blocking_client_iterates_pages_and_items() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_endpoint, config) = runtime.block_on(async {
        let (endpoint, config) = tencentcloud_tests::local_endpoint(&credential(), []).await;
        endpoint.script(
            "DescribeThings",
            [
                Reply::success(json!({"TotalCount": 3, "ThingSet": things(&["a", "b"])})),
                Reply::success(json!({"TotalCount": 3, "ThingSet": things(&["c"])})),
            ],
        );
        (endpoint, config)
    });
    let client = listing::blocking::Client::new(config.build().unwrap());
    let ids: Vec<String> = client
        .describe_things_items(DescribeThingsRequest::new().with_limit(2))
        .map(|t| t.unwrap().thing_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn the_rules_and_the_extension_decide_which_methods_exist() {
    // Two lists: pages, and no items (which list would it be?). Turned off: neither.
    let source =
        std::fs::read_to_string(concat!(env!("OUT_DIR"), "/listing/v20240101.rs")).unwrap();
    assert!(source.contains("fn describe_two_lists_pages("));
    assert!(!source.contains("fn describe_two_lists_items("));
    assert!(!source.contains("fn describe_unpaged_pages("));
}
