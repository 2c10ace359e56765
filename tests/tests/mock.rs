//! The mock as a user's tests would use it: typed responses and errors queued per action,
//! typed requests kept, unexpected calls and wrongly typed responses reported, listings and
//! streams answered from the queue, the blocking client too. No network, no credential.

use tencentcloud_runtime::mock::{Mock, MOCK_REQUEST_ID};
use tencentcloud_runtime::Config;
use tencentcloud_runtime::ErrorKind;
use tencentcloud_sdk::organization::v20210331 as organization;
use tencentcloud_tests::obstacle_course::chat::v20240101 as chat;

use organization::{
    Client, DescribeOrganizationMembersError, DescribeOrganizationMembersRequest,
    DescribeOrganizationMembersResponse, OrgMember,
};

fn config(mock: &Mock) -> Config {
    Config::builder().mock(mock.clone()).build().unwrap()
}

fn members(names: &[&str]) -> DescribeOrganizationMembersResponse {
    DescribeOrganizationMembersResponse::default()
        .with_items(
            names
                .iter()
                .map(|n| OrgMember::default().with_name(*n))
                .collect(),
        )
        .with_total(3)
}

async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn answers_errors_and_requests_are_typed() {
    let mock = Mock::new();
    mock.respond("DescribeOrganizationMembers", members(&["a"]))
        .error(
            "DescribeOrganizationMembers",
            "FailedOperation.OperateBillingPermissionErr",
            "no",
        );
    let client = Client::new(config(&mock));
    let answer = client
        .describe_organization_members(
            DescribeOrganizationMembersRequest::new(0, 10).with_lang("en"),
        )
        .await
        .unwrap();
    assert_eq!(answer.items[0].name, "a");
    let error = client
        .describe_organization_members(DescribeOrganizationMembersRequest::new(10, 10))
        .await
        .unwrap_err();
    let ErrorKind::Service(service) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(
        error.service_code(),
        Some(DescribeOrganizationMembersError::FailedOperationOperateBillingPermissionErr)
    );
    assert_eq!(service.request_id, MOCK_REQUEST_ID);
    let sent: Vec<DescribeOrganizationMembersRequest> =
        mock.requests("DescribeOrganizationMembers");
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[0].offset, sent[0].lang.as_deref()), (0, Some("en")));
    assert_eq!(sent[1].offset, 10);
    assert_eq!(
        mock.calls(),
        ["DescribeOrganizationMembers", "DescribeOrganizationMembers"]
    );
}

#[tokio::test]
async fn an_unexpected_call_and_a_wrongly_typed_answer_are_reported() {
    let mock = Mock::new();
    mock.respond("DescribeOrganizationMembers", "not a response");
    let client = Client::new(config(&mock));
    let wrong = client
        .describe_organization_members(DescribeOrganizationMembersRequest::new(0, 10))
        .await
        .unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = wrong.kind() else {
        panic!("{wrong:?}")
    };
    assert!(
        invalid.reason.contains("is a &str, not the"),
        "{}",
        invalid.reason
    );
    let unexpected = client
        .describe_organization_members(DescribeOrganizationMembersRequest::new(0, 10))
        .await
        .unwrap_err();
    assert_eq!(unexpected.code(), Some("InvalidAction"));
}

#[tokio::test]
async fn a_listing_takes_the_queued_answers_as_its_pages() {
    let mock = Mock::new();
    mock.respond("DescribeOrganizationMembers", members(&["a", "b"]))
        .respond("DescribeOrganizationMembers", members(&["c"]));
    let client = Client::new(config(&mock));
    let mut items =
        client.describe_organization_members_items(DescribeOrganizationMembersRequest::new(0, 2));
    let mut names = Vec::new();
    while let Some(member) = next(&mut items).await {
        names.push(member.unwrap().name);
    }
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(mock.calls().len(), 2);
}

#[tokio::test]
async fn a_wrongly_typed_page_is_reported() {
    let mock = Mock::new();
    mock.respond("DescribeOrganizationMembers", 7_u32);
    let client = Client::new(config(&mock));
    let mut pages =
        client.describe_organization_members_pages(DescribeOrganizationMembersRequest::new(0, 2));
    let wrong = next(&mut pages).await.unwrap().unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = wrong.kind() else {
        panic!("{wrong:?}")
    };
    assert!(
        invalid.reason.contains("is a u32, not the")
            && invalid
                .reason
                .contains("DescribeOrganizationMembersResponse"),
        "{}",
        invalid.reason
    );
    assert!(next(&mut pages).await.is_none());
}

#[tokio::test]
async fn a_stream_takes_the_queued_answers_as_its_events() {
    let mock = Mock::new();
    for audio in ["AAA=", "BBB="] {
        mock.respond(
            "SpeakSSE",
            chat::SpeakSSEResponse::default().with_audio(audio),
        );
    }
    let client = chat::Client::new(config(&mock));
    let mut events = client
        .speak_sse_stream(chat::SpeakSSERequest::new("hi"))
        .await
        .unwrap();
    assert_eq!(events.request_id(), MOCK_REQUEST_ID);
    let mut audio = Vec::new();
    while let Some(event) = next(&mut events).await {
        audio.push(event.unwrap().audio.unwrap());
    }
    assert_eq!(audio, ["AAA=", "BBB="]);
}

#[test]
fn the_blocking_client_answers_from_the_mock_too() {
    let mock = Mock::new();
    mock.respond("DescribeOrganizationMembers", members(&["a"]));
    let client = organization::blocking::Client::new(config(&mock));
    let answer = client
        .describe_organization_members(DescribeOrganizationMembersRequest::new(0, 10))
        .unwrap();
    assert_eq!(answer.total, 3);
}

#[tokio::test]
async fn the_typed_forms_are_keyed_by_the_request_type() {
    let mock = Mock::new();
    mock.respond_to::<DescribeOrganizationMembersRequest>(members(&["a"]))
        .error_to::<DescribeOrganizationMembersRequest>(
            DescribeOrganizationMembersError::ResourceNotFoundOrganizationNotExist,
            "gone",
        );
    let client = Client::new(config(&mock));
    let request = DescribeOrganizationMembersRequest::new(0, 10);
    let first = client
        .describe_organization_members(request.clone())
        .await
        .unwrap();
    assert_eq!(first.items[0].name, "a");
    let error = client
        .describe_organization_members(request.clone())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code(),
        Some(DescribeOrganizationMembersError::ResourceNotFoundOrganizationNotExist)
    );
    // The typed and the string forms see the same calls.
    assert_eq!(
        mock.requests_of::<DescribeOrganizationMembersRequest>(),
        [request.clone(), request]
    );
    assert_eq!(
        mock.requests::<DescribeOrganizationMembersRequest>("DescribeOrganizationMembers")
            .len(),
        2
    );
    assert_eq!(
        <DescribeOrganizationMembersRequest as tencentcloud_runtime::Operation>::ACTION,
        "DescribeOrganizationMembers"
    );
}
