//! Stage 3, model: the spec resolved into exactly what will be emitted. Every name is a
//! valid, unique Rust identifier; every type is resolved; recursive fields are boxed; each
//! struct knows whether it is sent, received or both. The emitter makes no decisions.

pub mod baseline;
pub mod names;
pub mod paging;

use std::collections::{BTreeMap, BTreeSet};

use crate::check;
use crate::spec::{self, Site, Spec};
use names::{camel, shouty, snake_with, type_name, unraw, Naming, Scope};

/// A service version, ready to emit.
#[derive(Debug, Clone)]
pub struct Service {
    /// `organization`.
    pub name: String,
    /// `2021-03-31`.
    pub version: String,
    /// `v20210331`.
    pub module: String,
    /// The default endpoint host.
    pub endpoint: String,
    /// The Chinese name, if known.
    pub title: Option<String>,
    /// The one site whose catalog alone lists this version (`metadata.sites`), if so.
    pub only: Option<Site>,
    /// Actions in name order.
    pub actions: Vec<Action>,
    /// Structs in name order.
    pub structs: Vec<Struct>,
}

impl Service {
    /// An estimate of the code it makes: its actions, structs and fields (for dealing the
    /// largest services out first when emitting in parallel).
    pub fn size(&self) -> usize {
        self.actions.len()
            + self
                .structs
                .iter()
                .map(|s| 1 + s.fields.len())
                .sum::<usize>()
    }
}

/// An action.
#[derive(Debug, Clone)]
pub struct Action {
    /// `UpdateOrganizationMemberEmailBind`.
    pub wire: String,
    /// The client method: `update_organization_member_email_bind`.
    pub method: String,
    /// The `static` describing it to the runtime.
    pub constant: String,
    /// The request struct.
    pub request: String,
    /// The response struct.
    pub response: String,
    /// The error enum.
    pub error: String,
    /// The future its method returns (unused by an action that only streams).
    pub future: String,
    /// What it does.
    pub document: String,
    /// The one site whose catalog alone lists the action (its `sites`, else its spec's),
    /// if so.
    pub only: Option<Site>,
    /// Requests per second allowed, if documented.
    pub rate_limit: Option<u32>,
    /// How it takes a region.
    pub region: Region,
    /// The regions it serves; empty means any.
    pub regions: Vec<String>,
    /// Online, deprecated or offline, as the spec says.
    pub status: Status,
    /// How the request is sent: JSON, multipart/form-data when it carries a file, or
    /// octet-stream as its spec says.
    pub body: Body,
    /// Whether its response is an event stream.
    pub stream: Streaming,
    /// Whether it lists its results in pages, and how.
    pub paging: Option<Paging>,
    /// Sent unsigned.
    pub unsigned: bool,
    /// Safe to send twice.
    pub idempotent: bool,
    /// Whether its request type is the input of no other action, so the type names the
    /// action (`tencentcloud_runtime::Operation`, for typed test doubles).
    pub owns_request: bool,
    /// Documented error codes that are the action's own: a variant each.
    pub errors: Vec<DocumentedCode>,
    /// Documented error codes that are common codes (`InternalError`, ...): no variant of
    /// their own, they stay `Common(CommonErrorCode::X)` as in every other action; the
    /// `variant` is `X`, and the description goes in the method's docs.
    pub common_errors: Vec<DocumentedCode>,
    /// Worked examples.
    pub examples: Vec<spec::Example>,
}

/// An action's status in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In service (also when the spec says nothing).
    Online,
    /// Still served, but to be replaced: the method is `#[deprecated]`.
    Deprecated,
    /// Taken offline by Tencent Cloud: the method is kept, `#[deprecated]` with a note
    /// that the service may answer `ActionOffline` (docs/spec-format.md says why).
    Offline,
}

impl Status {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Deprecated => "deprecated",
            Self::Offline => "offline",
        }
    }
}

/// How an action's request travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `application/json`.
    Json,
    /// `multipart/form-data`: the request has a `binary` member (a file upload).
    Multipart,
    /// `application/octet-stream` (the `octetStream` extension): the field `body` (wire
    /// name, added to the request) is the body, each member travels in its header.
    OctetStream {
        /// The body field's wire name.
        body: String,
        /// Each member's wire name and header, in member order.
        headers: Vec<(String, String)>,
    },
}

/// A paged action's listing: the `static` describing it, its `_pages` method, and its
/// `_items` method where its response has one list.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The `static` describing it to the runtime.
    pub constant: String,
    /// The `_pages` method.
    pub method: String,
    /// How it pages.
    pub kind: paging::Kind,
    /// The response's total count field (wire name).
    pub total: Option<String>,
    /// The response's list of items.
    pub items: Option<Items>,
}

/// The list of items of a paged response.
#[derive(Debug, Clone)]
pub struct Items {
    /// Its wire name.
    pub wire: String,
    /// Its field in the response struct.
    pub field: String,
    /// The type of one item.
    pub element: Ty,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The `_items` method.
    pub method: String,
}

/// Whether an action's response is an event stream (docs/spec-format.md, Streaming responses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Streaming {
    /// One envelope: the plain method only.
    Never,
    /// A stream when the request's `Stream` is true: the plain method, and a `_stream`
    /// method (`method`) that sets the field (`field`) and reads the events.
    Optional {
        /// The `_stream` method.
        method: String,
        /// The request's `Stream` field (its Rust name).
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
    /// Always a stream: the `_stream` method (`method`) only.
    Always {
        /// The `_stream` method.
        method: String,
    },
}

impl Streaming {
    /// Whether the action has its plain method (and its future type): all but those that
    /// always stream.
    pub fn has_plain_method(&self) -> bool {
        !matches!(self, Self::Always { .. })
    }

    /// The `_stream` method, if there is one.
    pub fn method(&self) -> Option<&str> {
        match self {
            Self::Never => None,
            Self::Optional { method, .. } | Self::Always { method } => Some(method),
        }
    }
}

/// How the spec says an action streams: its `stream` extension, or else the rules (a name
/// ending in `SSE` always streams; a request with a bool `Stream` member streams when asked).
enum StreamRule {
    Never,
    Optional,
    Always,
}

fn stream_rule(spec: &Spec, wire: &str, action: &spec::Action) -> StreamRule {
    let switch = spec.objects.get(&action.input).is_some_and(|o| {
        o.members
            .iter()
            .any(|m| m.name == "Stream" && m.kind == "bool")
    });
    match action.stream.as_deref() {
        Some("always") => StreamRule::Always,
        Some("optional") => StreamRule::Optional,
        Some(_) => StreamRule::Never,
        None if wire.ends_with("SSE") => StreamRule::Always,
        None if switch => StreamRule::Optional,
        None => StreamRule::Never,
    }
}

/// How an action takes a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Refused without one.
    Required,
    /// Sent when set.
    Optional,
    /// Never sent.
    None,
}

/// A documented error code and its variant (of the action's enum, or of `CommonErrorCode`).
#[derive(Debug, Clone)]
pub struct DocumentedCode {
    /// The variant.
    pub variant: String,
    /// The code.
    pub code: String,
    /// What it means.
    pub description: String,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// The Rust name.
    pub name: String,
    /// What it is.
    pub document: String,
    /// Its fields, in spec order.
    pub fields: Vec<Field>,
    /// Sent in requests: derive Serialize.
    pub sent: bool,
    /// Read from responses: implements the runtime's `Decode`.
    pub received: bool,
    /// The request of an action: implements the runtime's `Request`.
    pub is_request: bool,
    /// The request of an action whose body is not JSON (it carries a file): its `Request`
    /// encodes every kind of body, where a JSON request compiles the JSON encoder alone.
    pub is_upload: bool,
    /// The optional `ClientToken` field of a request, which the runtime fills in and which
    /// makes its action safe to retry.
    pub client_token: Option<String>,
}

/// A field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name, escaped (`r#type`).
    pub name: String,
    /// The setter: `with_type`.
    pub setter: String,
    /// The wire name.
    pub wire: String,
    /// Its type.
    pub ty: Ty,
    /// Wrapped in `Option`.
    pub optional: bool,
    /// What it is.
    pub document: String,
    /// The one site whose catalog alone lists the field where its object is listed by
    /// both (the member's `sites`), if so.
    pub only: Option<Site>,
}

/// A field's type, before `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String` (strings, dates and times).
    String,
    /// `i64`.
    I64,
    /// `u64`.
    U64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// The runtime's `Binary`: a file's bytes, sent as a part of a multipart request.
    Binary,
    /// A generated struct.
    Named(String),
    /// A generated struct behind a `Box`, because it contains itself.
    Boxed(String),
    /// `Vec<T>`.
    List(Box<Ty>),
}

impl Ty {
    /// The Rust name of a primitive (`i64`, `u64`, `f64`, `bool`): the one table of them,
    /// which the emitted code and the diff report both read.
    pub fn primitive(&self) -> Option<&'static str> {
        match self {
            Self::I64 => Some("i64"),
            Self::U64 => Some("u64"),
            Self::F64 => Some("f64"),
            Self::Bool => Some("bool"),
            _ => None,
        }
    }
}

/// The type as users write it (`Vec<Instance>`, `Option` aside); the emitted code names the
/// same types by full path (`emit/paths.rs`).
impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::I64 | Self::U64 | Self::F64 | Self::Bool => {
                f.write_str(self.primitive().unwrap_or_default())
            }
            Self::String => f.write_str("String"),
            Self::Binary => f.write_str("Binary"),
            Self::Named(name) => f.write_str(name),
            Self::Boxed(name) => write!(f, "Box<{name}>"),
            Self::List(inner) => write!(f, "Vec<{inner}>"),
        }
    }
}

/// Names the generated code claims in every service module.
const RESERVED_TYPES: &[&str] = &["Client"];
/// Constants the generated code claims in every service module.
const RESERVED_CONSTANTS: &[&str] = &["SERVICE", "ACTIONS"];
/// Methods of the generated `Client` besides the actions.
const RESERVED_METHODS: &[&str] = &["new", "runtime", "with_options", "as_async", "inner"];
/// The variant of every error enum that holds the common codes.
const COMMON_VARIANT: &str = "Common";

/// Builds the model of a checked spec.
pub fn build(spec: &Spec) -> Service {
    build_with(spec, Naming::Words)
}

/// [`build`], with snake and shouty names by the rule `naming`.
pub fn build_with(spec: &Spec, naming: Naming) -> Service {
    // Which objects are sent and which received, by reachability from the actions.
    let mut sent = BTreeSet::new();
    let mut received = BTreeSet::new();
    for action in spec.actions.values() {
        reach(spec, &action.input, &mut sent);
        reach(spec, &action.output, &mut received);
    }
    let requests: BTreeSet<&str> = spec.actions.values().map(|a| a.input.as_str()).collect();
    let responses: BTreeSet<&str> = spec.actions.values().map(|a| a.output.as_str()).collect();
    // Event types: the fields an event lacks are `None`, so every field but RequestId is.
    let events: BTreeSet<&str> = spec
        .actions
        .iter()
        .filter(|(wire, a)| !matches!(stream_rule(spec, wire, a), StreamRule::Never))
        .map(|(_, a)| a.output.as_str())
        .collect();
    // Requests that travel as another body than JSON: they carry a file.
    let uploads: BTreeSet<&str> = spec
        .actions
        .values()
        .filter(|a| a.octet_stream.is_some() || carries_file(spec, &a.input))
        .map(|a| a.input.as_str())
        .collect();
    // Octet-stream requests gain the field that holds the body's bytes.
    let octet_bodies: BTreeMap<&str, &spec::OctetStream> = spec
        .actions
        .values()
        .filter_map(|a| a.octet_stream.as_ref().map(|o| (a.input.as_str(), o)))
        .collect();

    // Type names: objects first (their names are what the docs show), then error enums.
    let mut types = Scope::with_reserved(RESERVED_TYPES);
    let object_names: BTreeMap<&str, String> = spec
        .objects
        .keys()
        .filter(|name| sent.contains(*name) || received.contains(*name))
        .map(|name| (name.as_str(), types.claim(type_name(name))))
        .collect();
    let mut methods = Scope::with_reserved(RESERVED_METHODS);
    let mut constants = Scope::with_reserved(RESERVED_CONSTANTS);

    let structs = object_names
        .iter()
        .map(|(wire, name)| {
            let object = &spec.objects[*wire];
            let is_sent = sent.contains(*wire);
            let is_received = received.contains(*wire);
            let is_response = responses.contains(*wire);
            let is_event = events.contains(*wire);
            let mut scope = Scope::default();
            let mut setters = Scope::with_reserved(&["new"]);
            let body_member = octet_bodies.get(*wire).map(|octet| spec::Member {
                name: octet.body.clone(),
                kind: check::BINARY.to_owned(),
                member: check::BINARY.to_owned(),
                required: Some(true),
                document: if octet.document.is_empty() {
                    "The body's bytes, sent as they are (`application/octet-stream`).".to_owned()
                } else {
                    octet.document.clone()
                },
                ..spec::Member::default()
            });
            let members: Vec<&spec::Member> =
                object.members.iter().chain(body_member.as_ref()).collect();
            // Names are claimed by the members every catalog of the object lists first, then
            // by those one site alone lists (`sites`), so that a member the China-site
            // catalog adds (`DNSFormat` beside `DnsFormat`) never takes a name from one the
            // international client has had: its field is `dns_format_2`, whatever the order.
            let mut names = vec![(String::new(), String::new()); members.len()];
            let mut by_claim: Vec<usize> = (0..members.len()).collect();
            by_claim.sort_by_key(|&i| members[i].sites.is_some());
            for i in by_claim {
                let field_name = scope.claim(snake_with(&members[i].name, naming));
                // `with_type`, `with_self` (not `with_r#type`, `with_self_`).
                let setter =
                    setters.claim(format!("with_{}", unraw(&field_name).trim_end_matches('_')));
                names[i] = (field_name, setter);
            }
            let fields: Vec<Field> = members
                .iter()
                .zip(names)
                .map(|(member, (field_name, setter))| {
                    let ty = resolve(&object_names, member);
                    let input_plain = member.required == Some(true);
                    let output_plain = (member.output_required == Some(true)
                        && member.value_allowed_null != Some(true))
                        || (is_response && member.name == "RequestId");
                    let plain = (!is_sent || input_plain)
                        && (!is_received || output_plain)
                        && (!is_event || member.name == "RequestId");
                    Field {
                        setter,
                        name: field_name,
                        wire: member.name.clone(),
                        ty,
                        optional: !plain,
                        document: member.document.clone(),
                        only: only(member.sites.as_deref()),
                    }
                })
                .collect();
            let is_request = requests.contains(*wire);
            let client_token = fields
                .iter()
                .find(|f| is_request && f.wire == "ClientToken" && f.optional && f.ty == Ty::String)
                .map(|f| f.name.clone());
            Struct {
                name: name.clone(),
                document: object.document.clone(),
                fields,
                client_token,
                sent: is_sent,
                received: is_received,
                is_request,
                is_upload: uploads.contains(*wire),
            }
        })
        .collect::<Vec<_>>();

    // How many actions send each request object: a type that one action alone sends names
    // that action.
    let mut senders: BTreeMap<&str, usize> = BTreeMap::new();
    for action in spec.actions.values() {
        *senders.entry(action.input.as_str()).or_default() += 1;
    }
    let actions = spec
        .actions
        .iter()
        .map(|(wire, action)| {
            let mut variants = Scope::with_reserved(&[COMMON_VARIANT]);
            let (mut errors, mut common_errors) = (Vec::new(), Vec::new());
            for e in &action.error_codes {
                let (list, variant) = match tencentcloud_common_codes::common(&e.code) {
                    Some(common) => (&mut common_errors, common.variant.to_owned()),
                    None => (&mut errors, variants.claim(camel(&e.code))),
                };
                list.push(DocumentedCode {
                    variant,
                    code: e.code.clone(),
                    description: e.description.clone(),
                });
            }
            let request = &object_names[action.input.as_str()];
            let method = methods.claim(snake_with(wire, naming));
            let stream_method = |methods: &mut Scope| {
                methods.claim(format!("{}_stream", unraw(&method).trim_end_matches('_')))
            };
            let stream = match stream_rule(spec, wire, action) {
                StreamRule::Never => Streaming::Never,
                StreamRule::Always => Streaming::Always {
                    method: stream_method(&mut methods),
                },
                StreamRule::Optional => {
                    let field = structs
                        .iter()
                        .find(|s| &s.name == request)
                        .and_then(|s| s.fields.iter().find(|f| f.wire == "Stream"))
                        .map(|f| (f.name.clone(), f.optional))
                        .expect("check: a request that streams when asked has a bool `Stream`");
                    Streaming::Optional {
                        method: stream_method(&mut methods),
                        field: field.0,
                        optional: field.1,
                    }
                }
            };
            let response = &object_names[action.output.as_str()];
            let paging = paging::find(spec, action).map(|found| {
                let base = unraw(&method).trim_end_matches('_').to_owned();
                let pages = methods.claim(format!("{base}_pages"));
                let list = found.items.as_ref().and_then(|wire| {
                    let field = structs
                        .iter()
                        .find(|s| &s.name == response)?
                        .fields
                        .iter()
                        .find(|f| &f.wire == wire)?;
                    let Ty::List(element) = &field.ty else {
                        return None;
                    };
                    Some((
                        wire.clone(),
                        field.name.clone(),
                        (**element).clone(),
                        field.optional,
                    ))
                });
                let items = list.map(|(wire, field, element, optional)| Items {
                    wire,
                    field,
                    element,
                    optional,
                    method: methods.claim(format!("{base}_items")),
                });
                Paging {
                    constant: constants.claim(format!("PAGING_{}", shouty(wire, naming))),
                    method: pages,
                    kind: found.kind,
                    total: found.total,
                    items,
                }
            });
            let body = match (
                &action.octet_stream,
                uploads.contains(action.input.as_str()),
            ) {
                (Some(octet), _) => {
                    let service = spec.metadata.service_short_name.to_uppercase();
                    let members = spec
                        .objects
                        .get(&action.input)
                        .map_or(&[][..], |o| &o.members[..]);
                    Body::OctetStream {
                        body: octet.body.clone(),
                        headers: members
                            .iter()
                            .map(|m| {
                                let header = octet
                                    .headers
                                    .get(&m.name)
                                    .cloned()
                                    .unwrap_or_else(|| format!("X-{service}-{}", m.name));
                                (m.name.clone(), header)
                            })
                            .collect(),
                    }
                }
                (None, true) => Body::Multipart,
                (None, false) => Body::Json,
            };
            Action {
                method,
                stream,
                paging,
                constant: constants.claim(shouty(wire, naming)),
                request: request.clone(),
                response: object_names[action.output.as_str()].clone(),
                // Named from the wire name, so an action called `Self` gets `SelfError`, not
                // the escaped `Self_Error`.
                error: types.claim(type_name(&format!("{wire}Error"))),
                future: types.claim(type_name(&format!("{wire}Future"))),
                document: action.document.clone(),
                only: only(action.sites.as_deref().or(spec.metadata.sites.as_deref())),
                rate_limit: action.rate_limit,
                region: match action.region.as_deref() {
                    Some("required") => Region::Required,
                    Some("none") => Region::None,
                    _ => Region::Optional,
                },
                regions: action.regions.clone(),
                status: match action.status.as_deref() {
                    Some("deprecated") => Status::Deprecated,
                    Some("offline") => Status::Offline,
                    _ => Status::Online,
                },
                body,
                unsigned: action.skip_sign == Some(true),
                idempotent: tencentcloud_common_codes::is_read_only(wire),
                owns_request: senders[action.input.as_str()] == 1,
                errors,
                common_errors,
                examples: action.examples.clone(),
                wire: wire.clone(),
            }
        })
        .collect();

    let version = spec.metadata.api_version.clone();
    let name = spec.metadata.service_short_name.clone();
    Service {
        module: format!("v{}", version.replace('-', "")),
        endpoint: spec
            .metadata
            .endpoint
            .clone()
            .unwrap_or_else(|| default_host(&name, spec.metadata.sites.as_deref())),
        title: spec.metadata.service_name_cn.clone(),
        only: only(spec.metadata.sites.as_deref()),
        name,
        version,
        actions,
        structs: box_recursion(structs),
    }
}

/// The host of a spec without an `endpoint`: the international site's domain for a service
/// its catalog alone lists, `<service>.tencentcloudapi.com` (the China site's, which serves
/// both sites' accounts) otherwise.
fn default_host(service: &str, sites: Option<&[Site]>) -> String {
    match only(sites) {
        Some(Site::International) => format!("{service}.intl.tencentcloudapi.com"),
        _ => format!("{service}.tencentcloudapi.com"),
    }
}

/// The site of a `sites` list that names one site alone.
fn only(sites: Option<&[Site]>) -> Option<Site> {
    match sites {
        Some([site]) => Some(*site),
        _ => None,
    }
}

/// Whether the object `input` has a `binary` member, which makes its action multipart
/// (check made sure such members sit only in requests, at the top).
fn carries_file(spec: &Spec, input: &str) -> bool {
    spec.objects
        .get(input)
        .is_some_and(|o| o.members.iter().any(|m| m.kind == check::BINARY))
}

/// Adds `name` and every object it contains to `seen`.
fn reach(spec: &Spec, name: &str, seen: &mut BTreeSet<String>) {
    if !seen.insert(name.to_owned()) {
        return;
    }
    if let Some(object) = spec.objects.get(name) {
        for member in &object.members {
            if spec.objects.contains_key(&member.member) {
                reach(spec, &member.member, seen);
            }
        }
    }
}

/// A member's type; its object, if any, is one the model named (check made sure it exists).
fn resolve(names: &BTreeMap<&str, String>, member: &spec::Member) -> Ty {
    let element = match member.member.as_str() {
        "string" | "date" | "datetime" | "datetime_iso" => Ty::String,
        "int64" => Ty::I64,
        "uint64" => Ty::U64,
        "float" => Ty::F64,
        "bool" => Ty::Bool,
        check::BINARY => Ty::Binary,
        object => Ty::Named(
            names
                .get(object)
                .cloned()
                .unwrap_or_else(|| type_name(object)),
        ),
    };
    if member.kind == "list" {
        Ty::List(Box::new(element))
    } else {
        element
    }
}

/// Boxes every direct (not through `Vec`) field whose struct can reach back to its owner
/// through direct fields, so that no struct has infinite size; and makes such a field
/// optional, even where the spec marks it required, when the way back is through required
/// fields alone: a value that must hold itself again could only be infinite (no request
/// could be built nor `Default` made), and any answer ends the chain somewhere.
fn box_recursion(mut structs: Vec<Struct>) -> Vec<Struct> {
    let graph = |required_only: bool| -> BTreeMap<String, Vec<String>> {
        structs
            .iter()
            .map(|s| {
                let targets = s
                    .fields
                    .iter()
                    .filter(|f| !(required_only && f.optional))
                    .filter_map(|f| match &f.ty {
                        Ty::Named(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                (s.name.clone(), targets)
            })
            .collect()
    };
    let (direct, required) = (graph(false), graph(true));
    for s in &mut structs {
        let owner = s.name.clone();
        for field in &mut s.fields {
            if let Ty::Named(target) = &field.ty {
                if reaches(&direct, target, &owner) {
                    if !field.optional && reaches(&required, target, &owner) {
                        field.optional = true;
                    }
                    field.ty = Ty::Boxed(target.clone());
                }
            }
        }
    }
    structs
}

/// Whether `to` can be reached from `from` along `graph`'s edges.
fn reaches(graph: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == to {
            return true;
        }
        if seen.insert(next.clone()) {
            stack.extend(graph.get(&next).into_iter().flatten().cloned());
        }
    }
    false
}
