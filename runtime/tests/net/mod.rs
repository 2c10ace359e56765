//! What the network tests start on 127.0.0.1: an HTTP proxy that records what it is asked,
//! and a TLS endpoint in front of the local one, its certificate signed by a test root made
//! at test time.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose, SanType};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A request as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `POST` for a forwarded request, `CONNECT` for a tunnel.
    pub method: String,
    /// The absolute URL, or `host:port` of a tunnel.
    pub target: String,
    /// The `Proxy-Authorization` header, if sent.
    pub authorization: Option<String>,
}

/// An HTTP proxy: forwards absolute-form requests (one per connection, closing after the
/// answer) and tunnels CONNECT; with credentials required, answers 407 to any other.
pub struct Proxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `Basic` auth as a proxy expects it.
pub fn basic(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

impl Proxy {
    /// A proxy that forwards anything.
    pub async fn start() -> Self {
        Self::start_requiring(None).await
    }

    /// A proxy that forwards only requests carrying `authorization`.
    pub async fn start_requiring(authorization: Option<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let record = record.clone();
                let required = authorization.clone();
                tokio::spawn(async move {
                    let _ = relay(client, &record, required.as_deref()).await;
                });
            }
        });
        Self { addr, seen, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `host:port`, for a URL with credentials.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Serves one client connection of the proxy.
async fn relay(
    client: TcpStream,
    record: &Mutex<Vec<Seen>>,
    required: Option<&str>,
) -> std::io::Result<()> {
    let mut client = BufReader::new(client);
    let mut line = String::new();
    client.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) => (m.to_owned(), t.to_owned(), v.to_owned()),
        _ => return Ok(()),
    };
    let mut headers = Vec::new();
    let mut authorization = None;
    loop {
        let mut header = String::new();
        client.read_line(&mut header).await?;
        let header = header.trim_end().to_owned();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "proxy-authorization" => authorization = Some(value.trim().to_owned()),
            "proxy-connection" | "connection" => {}
            _ => headers.push(header.clone()),
        }
    }
    record.lock().unwrap().push(Seen {
        method: method.clone(),
        target: target.clone(),
        authorization: authorization.clone(),
    });
    if required.is_some() && authorization.as_deref() != required {
        let refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return client.get_mut().write_all(refusal.as_bytes()).await;
    }
    let (authority, path) = if method == "CONNECT" {
        (target.clone(), String::new())
    } else {
        let rest = target.strip_prefix("http://").unwrap_or(&target);
        match rest.find('/') {
            Some(i) => (rest[..i].to_owned(), rest[i..].to_owned()),
            None => (rest.to_owned(), "/".to_owned()),
        }
    };
    let mut upstream = TcpStream::connect(&authority).await?;
    if method == "CONNECT" {
        client
            .get_mut()
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
    } else {
        let mut head = format!("{method} {path} {version}\r\n");
        for header in &headers {
            head.push_str(header);
            head.push_str("\r\n");
        }
        head.push_str("Connection: close\r\n\r\n");
        upstream.write_all(head.as_bytes()).await?;
    }
    // What the client sent past the head (a body, a TLS hello) goes first.
    upstream.write_all(client.buffer()).await?;
    let mut client = client.into_inner();
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// A test root, and a server certificate it signed for 127.0.0.1 and localhost.
pub struct TestPki {
    /// The root's certificate, PEM.
    pub root_pem: String,
    /// The server's chain and key, for rustls.
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl TestPki {
    pub fn new() -> Self {
        let root_key = KeyPair::generate().expect("root key");
        let mut root = CertificateParams::new(Vec::<String>::new()).expect("root params");
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.distinguished_name
            .push(DnType::CommonName, "tencentcloud-rs test root");
        root.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let root_cert = root.self_signed(&root_key).expect("root signs itself");

        let server_key = KeyPair::generate().expect("server key");
        let mut server = CertificateParams::new(Vec::<String>::new()).expect("server params");
        server.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into().expect("a DNS name")),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ];
        server
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        let server_cert = server
            .signed_by(&server_key, &root_cert, &root_key)
            .expect("root signs the server's certificate");
        Self {
            root_pem: root_cert.pem(),
            chain: vec![server_cert.der().clone()],
            key: server_key.serialize_der(),
        }
    }
}

/// TLS on 127.0.0.1 in front of `target`: each connection decrypted and relayed to it.
pub struct TlsFront {
    /// The root that signed the front's certificate, PEM.
    pub root_pem: String,
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsFront {
    /// A front with a certificate of a new test root.
    pub async fn start(target: SocketAddr) -> Self {
        let pki = TestPki::new();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.key.clone()));
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(pki.chain, key)
            .expect("server certificate");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("TLS binds");
        let addr = listener.local_addr().expect("TLS address");
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let Ok(mut upstream) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                });
            }
        });
        Self {
            root_pem: pki.root_pem,
            addr,
            task,
        }
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}
