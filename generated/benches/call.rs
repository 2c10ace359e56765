//! The cost of a call on top of the work that cannot be avoided, each beside its floor or
//! peer measured in the same run (docs/benchmarks.md):
//!
//! - signing the seed request, beside the SHA-256 and HMAC work the signature needs;
//! - building, serialising and signing the seed request through the generated client;
//! - reading a success and an error response;
//! - reading a larger response (200 list items) under the decoding policy, beside plain
//!   serde_json reading the same bytes into the same type, and the same response as a
//!   listing's page through the generated paginator, answered in memory;
//! - a streamed answer's 100 events read and typed, answered in memory;
//! - a round trip to the local endpoint over loopback, one at a time and 64 at once, beside
//!   plain reqwest posting the same signed bytes to the same server.
//!
//! cargo bench -p tencentcloud-sdk --bench call

// criterion_group! expands to an undocumented `pub fn`.
#![allow(missing_docs)]

#[path = "../shared/seed.rs"]
mod seed;

#[path = "../shared/in_memory.rs"]
mod in_memory;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hmac::{Hmac, Mac};
use seed::{seed_request, SEED_ACTION};
use sha2::{Digest, Sha256};
use tencentcloud_runtime::call::response::read_response;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::signing::{self, Payload, SigningRequest};
use tencentcloud_runtime::{Config, Credential, RateLimits};
use tencentcloud_sdk::organization::v20210331::{
    Client, DescribeOrganizationNodesRequest, DescribeOrganizationNodesResponse,
    UpdateOrganizationMemberEmailBindError, UpdateOrganizationMemberEmailBindResponse,
};

const SEED_BODY: &[u8] = br#"{"MemberUin":111111111111,"BindId":12,"Email":"12***@qq.com","CountryCode":"86","Phone":"18***32"}"#;
const HOST: &str = "organization.intl.tencentcloudapi.com";

fn credential() -> Credential {
    Credential::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The next item of `stream`.
async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn signing_benches(c: &mut Criterion) {
    let credential = credential();
    let timestamp = now();
    let request = SigningRequest {
        method: "POST",
        host: HOST,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: Payload::Bytes(SEED_BODY),
        service: "organization",
        timestamp,
    };
    let canonical = signing::canonical_request(&request);
    let to_sign = signing::string_to_sign(
        timestamp,
        &signing::utc_date(timestamp),
        "organization",
        &signing::sha256_hex(canonical.as_bytes()),
    );
    let mut group = c.benchmark_group("signing");
    group.bench_function("TC3 signature of the seed request", |b| {
        b.iter(|| signing::sign(std::hint::black_box(&request), &credential))
    });
    // The floor: the hashing the signature cannot avoid, on inputs of the same sizes, with
    // no formatting: SHA-256 of the body and of the canonical request, the four HMACs of
    // the key derivation and the one of the signature.
    group.bench_function("floor: 2 SHA-256 + 5 HMAC-SHA256", |b| {
        b.iter(|| {
            let body = Sha256::digest(std::hint::black_box(SEED_BODY));
            let canonical = Sha256::digest(std::hint::black_box(canonical.as_bytes()));
            let k1 = hmac(b"TC3Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", b"2026-11-24");
            let k2 = hmac(&k1, b"organization");
            let k3 = hmac(&k2, b"tc3_request");
            let signature = hmac(&k3, std::hint::black_box(to_sign.as_bytes()));
            (body, canonical, signature)
        })
    });
    // What a client does on each call: the key is derived once a day.
    let key = signing::DerivedKey::new(
        credential.secret_key(),
        &signing::utc_date(timestamp),
        "organization",
    );
    let derived = signing::signing_key(
        credential.secret_key(),
        &signing::utc_date(timestamp),
        "organization",
    );
    group.bench_function("TC3 Authorization with the day's derived key", |b| {
        b.iter(|| {
            signing::authorization_with(
                std::hint::black_box(&request),
                credential.secret_id(),
                &key,
            )
        })
    });
    let keyed = Hmac::<Sha256>::new_from_slice(&derived).unwrap();
    group.bench_function("floor: 2 SHA-256 + 1 HMAC-SHA256", |b| {
        b.iter(|| {
            let body = Sha256::digest(std::hint::black_box(SEED_BODY));
            let canonical = Sha256::digest(std::hint::black_box(canonical.as_bytes()));
            // Keyed once, like the client's derived key.
            let mut mac = keyed.clone();
            mac.update(std::hint::black_box(to_sign.as_bytes()));
            (body, canonical, mac.finalize().into_bytes())
        })
    });
    group.finish();
}

fn request_benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config::builder().credential(credential()).build().unwrap();
    // The generated method is one line over the runtime client: the same service and
    // action description, so this is the seed call's path up to sending.
    let raw = tencentcloud_runtime::Client::new(
        config,
        tencentcloud_sdk::organization::v20210331::SERVICE,
    );
    let mut group = c.benchmark_group("request");
    group.bench_function("build + serialise + sign the seed request", |b| {
        b.iter(|| {
            runtime
                .block_on(raw.signed_request(&SEED_ACTION, seed_request()))
                .unwrap()
        })
    });
    group.bench_function("serialise the seed request alone", |b| {
        b.iter(|| {
            tencentcloud_runtime::body::JsonWriter::to_vec(&std::hint::black_box(seed_request()))
                .unwrap()
        })
    });
    group.bench_function("tokio block_on of a ready future (harness cost)", |b| {
        b.iter(|| runtime.block_on(async { std::hint::black_box(1) }))
    });
    let success = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Bytes::from_static(
            br#"{"Response":{"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#,
        ))
        .unwrap();
    let failure = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Bytes::from_static(br#"{"Response":{"Error":{"Code":"FailedOperation.EmailAlreadyUsed","Message":"The email has been used."},"RequestId":"b46d2afe-6893-4529-bc96-2c82d9214957"}}"#))
        .unwrap();
    group.bench_function("read a success answer", |b| {
        b.iter(|| {
            read_response::<
                UpdateOrganizationMemberEmailBindResponse,
                UpdateOrganizationMemberEmailBindError,
            >(std::hint::black_box(&success))
            .unwrap()
        })
    });
    group.bench_function("read an error answer", |b| {
        b.iter(|| {
            read_response::<
                UpdateOrganizationMemberEmailBindResponse,
                UpdateOrganizationMemberEmailBindError,
            >(std::hint::black_box(&failure))
            .unwrap_err()
        })
    });
    group.finish();

    // A larger response: DescribeOrganizationNodes with 200 nodes of 6 fields, as its example.
    let nodes: Vec<String> = (0..200)
        .map(|i| {
            format!(
                r#"{{"CreateTime":"2021-04-16 11:49:39","Name":"node-{i}","NodeId":{i},"ParentNodeId":0,"Remark":"","UpdateTime":"2021-04-16 11:49:39"}}"#
            )
        })
        .collect();
    let large = format!(
        r#"{{"Response":{{"Items":[{}],"RequestId":"becff4cb-fe62-4288-ac6c-4fba115b94b3","Total":200}}}}"#,
        nodes.join(",")
    );
    let mut group = c.benchmark_group("answers");
    group.bench_function(
        "200 nodes under the decoding policy (decode::response)",
        |b| {
            b.iter(|| {
                tencentcloud_runtime::decode::response::<DescribeOrganizationNodesResponse>(
                    std::hint::black_box(large.as_bytes()),
                )
                .unwrap()
            })
        },
    );
    group.bench_function(
        "200 nodes, read as a serde_json::Value (the JSON alone)",
        |b| {
            b.iter(|| {
                serde_json::from_slice::<serde_json::Value>(std::hint::black_box(large.as_bytes()))
                    .unwrap()
            })
        },
    );
    // The same answer as the one page of a listing (its Total is its 200 items), through the
    // generated paginator and the whole call path, answered in memory.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = in_memory::client_over(in_memory::InMemory::answering(large));
    group.bench_function("the same 200 nodes as a listing's one page", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut pages = client
                .describe_organization_nodes_pages(DescribeOrganizationNodesRequest::new(200, 0));
            let page = next(&mut pages).await.unwrap().unwrap();
            assert!(next(&mut pages).await.is_none());
            page
        })
    });
    group.finish();
    event_benches(c, &runtime);
}

/// One event of a chat's streamed answer, every field optional as generated event types
/// are: what hunyuan's `ChatCompletions` sends a token at a time.
#[derive(Debug, Default)]
struct Chunk {
    id: Option<String>,
    created: Option<i64>,
    choices: Option<Vec<Choice>>,
    request_id: String,
}

#[derive(Debug, Default)]
struct Choice {
    finish_reason: Option<String>,
    delta: Option<Delta>,
}

#[derive(Debug, Default)]
struct Delta {
    role: Option<String>,
    content: Option<String>,
}

tencentcloud_runtime::impl_decode!(Chunk {
    id: "Id",
    created: "Created",
    choices: "Choices",
    request_id: "RequestId",
});
tencentcloud_runtime::impl_decode!(Choice {
    finish_reason: "FinishReason",
    delta: "Delta",
});
tencentcloud_runtime::impl_decode!(Delta {
    role: "Role",
    content: "Content",
});

/// A chat action that streams, as the runtime's tests declare one.
static CHAT: tencentcloud_runtime::Action = tencentcloud_runtime::Action::new("ChatCompletions");

/// A streamed answer of 100 events read and typed one by one, through the runtime's stream
/// call over the in-memory transport (all of it in one piece, so the events' reading is what
/// is measured, not their arrival).
fn event_benches(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let events: String = (0..100)
        .map(|i| {
            format!(
                "data: {{\"Id\":\"0ab3c\",\"Created\":1718000000,\"Choices\":[{{\"FinishReason\":\"\",\"Delta\":{{\"Role\":\"assistant\",\"Content\":\"token {i}\"}}}}]}}\n\n"
            )
        })
        .collect();
    let client = tencentcloud_runtime::Client::new(
        in_memory::config_over(in_memory::InMemory::events(events)),
        tencentcloud_runtime::Service::new("hunyuan", "2023-09-01", "hunyuan.tencentcloudapi.com"),
    );
    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Elements(100));
    group.bench_function("100 events of a stream, read and typed", |b| {
        b.to_async(runtime).iter(|| async {
            let mut events = client
                .stream::<_, Chunk, tencentcloud_runtime::CommonErrorCode>(&CHAT, seed_request())
                .await
                .unwrap();
            let mut read = 0;
            while let Some(event) = next(&mut events).await {
                assert!(event.unwrap().choices.is_some());
                read += 1;
            }
            assert_eq!(read, 100);
        })
    });
    group.finish();
}

fn round_trip_benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let credential = credential();
    let endpoint = runtime
        .block_on(
            LocalEndpoint::builder()
                .credential(credential.clone())
                .start(),
        )
        .unwrap();
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::success(serde_json::json!({})),
    );
    // Rate limits off: the seed action allows 20 a second, and this measures the client.
    let config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url())
        .rate_limits(RateLimits::off())
        .build()
        .unwrap();
    let client = Client::new(config.clone());
    // The peer: plain reqwest posting the very bytes our client sends, to the same server.
    let signed = runtime
        .block_on(
            tencentcloud_runtime::Client::new(
                config,
                tencentcloud_sdk::organization::v20210331::SERVICE,
            )
            .signed_request(&SEED_ACTION, seed_request()),
        )
        .unwrap();
    let plain = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let url = endpoint.url();
    let headers = signed.headers().clone();
    let body = signed.body().clone();
    let post = |plain: reqwest::Client| {
        let (url, headers, body) = (url.clone(), headers.clone(), body.clone());
        async move {
            let answer = plain
                .post(url)
                .headers(headers)
                .body(body)
                .send()
                .await
                .unwrap();
            answer.bytes().await.unwrap()
        }
    };

    let mut group = c.benchmark_group("round trip over loopback");
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated client, one at a time", |b| {
        b.iter(|| {
            runtime
                .block_on(client.update_organization_member_email_bind(seed_request()))
                .unwrap()
        })
    });
    group.bench_function("plain reqwest, same bytes, one at a time", |b| {
        b.iter(|| runtime.block_on(post(plain.clone())))
    });
    group.throughput(Throughput::Elements(64));
    group.bench_function("generated client, 64 concurrent", |b| {
        b.iter_batched(
            || (),
            |()| {
                runtime.block_on(async {
                    let calls: Vec<_> = (0..64)
                        .map(|_| {
                            let client = client.clone();
                            tokio::spawn(async move {
                                client
                                    .update_organization_member_email_bind(seed_request())
                                    .await
                                    .unwrap()
                            })
                        })
                        .collect();
                    for call in calls {
                        call.await.unwrap();
                    }
                })
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("plain reqwest, same bytes, 64 concurrent", |b| {
        b.iter_batched(
            || (),
            |()| {
                runtime.block_on(async {
                    let calls: Vec<_> =
                        (0..64).map(|_| tokio::spawn(post(plain.clone()))).collect();
                    for call in calls {
                        call.await.unwrap();
                    }
                })
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    // The endpoint records every request; keep it alive to the end.
    drop(endpoint);
}

criterion_group!(
    benches,
    signing_benches,
    request_benches,
    round_trip_benches
);
criterion_main!(benches);
