//! Credentials from the profile file: `TENCENTCLOUD_CREDENTIALS_FILE`, or
//! `~/.tencentcloud/credentials`, an INI file whose `[default]` section holds `secret_id` and
//! `secret_key` (and optionally `token`).

use std::path::{Path, PathBuf};

use super::{BoxFuture, Credential, CredentialError, ProvideCredential};
use crate::environment::Environment;

const SOURCE: &str = "profile file";
/// The variable naming the profile file.
pub const CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";

/// Reads a profile from the credentials file at each call.
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    path: Option<PathBuf>,
    profile: String,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::with_environment(&Environment::process())
    }
}

impl ProfileProvider {
    /// The `[default]` profile of the file the process's environment points to.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `[default]` profile of the file `env` points to: `TENCENTCLOUD_CREDENTIALS_FILE`,
    /// else `credentials` in `.tencentcloud` under `HOME` (or `USERPROFILE`).
    pub fn with_environment(env: &Environment) -> Self {
        let path = env.get(CREDENTIALS_FILE).map(PathBuf::from).or_else(|| {
            let home = env.get("HOME").or_else(|| env.get("USERPROFILE"))?;
            Some(Path::new(&home).join(".tencentcloud").join("credentials"))
        });
        Self {
            path,
            profile: "default".to_owned(),
        }
    }

    /// The `[default]` profile of the file at `path`.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
            profile: "default".to_owned(),
        }
    }

    /// Reads the section `[name]` instead of `[default]`.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = name.into();
        self
    }

    /// The file this provider reads, if a home directory or variable named one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    async fn load(&self) -> Result<Credential, CredentialError> {
        let Some(path) = &self.path else {
            return Err(CredentialError::not_found(
                SOURCE,
                format!("neither {CREDENTIALS_FILE} nor HOME is set"),
            ));
        };
        let text = match tokio::fs::read(path).await {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                CredentialError::invalid(
                    SOURCE,
                    format!(
                        "{}: not UTF-8 at byte {}",
                        path.display(),
                        e.utf8_error().valid_up_to()
                    ),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialError::not_found(
                    SOURCE,
                    format!("{} does not exist", path.display()),
                ))
            }
            Err(e) => {
                return Err(CredentialError::invalid(
                    SOURCE,
                    format!("{}: {e}", path.display()),
                ))
            }
        };
        parse(&text, &self.profile, path)
    }
}

impl ProvideCredential for ProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load())
    }
}

/// Finds `[profile]` in INI text and reads its keys; errors name the file and line.
pub(crate) fn parse(text: &str, profile: &str, path: &Path) -> Result<Credential, CredentialError> {
    let at = |line: usize, what: String| {
        CredentialError::invalid(SOURCE, format!("{}:{line}: {what}", path.display()))
    };
    // A byte order mark, as some Windows editors start a UTF-8 file with, is no text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut in_section = false;
    let mut found_section = false;
    let (mut id, mut key, mut token) = (None, None, None);
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(at(
                    line_no,
                    format!("section header `{line}` has no closing `]`"),
                ));
            };
            in_section = name.trim() == profile;
            found_section |= in_section;
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err(at(line_no, "expected `key = value`".to_owned()));
        };
        let value = value.trim().to_owned();
        match name.trim() {
            "secret_id" => id = Some((line_no, value)),
            "secret_key" => key = Some((line_no, value)),
            "token" => token = Some(value),
            _ => {}
        }
    }
    if !found_section {
        return Err(CredentialError::not_found(
            SOURCE,
            format!("{} has no [{profile}] section", path.display()),
        ));
    }
    let missing = |name: &str| {
        CredentialError::invalid(
            SOURCE,
            format!("{}: section [{profile}] has no {name}", path.display()),
        )
    };
    let (id_line, id) = id.ok_or_else(|| missing("secret_id"))?;
    let (key_line, key) = key.ok_or_else(|| missing("secret_key"))?;
    if id.is_empty() {
        return Err(at(id_line, "secret_id is empty".to_owned()));
    }
    if key.is_empty() {
        return Err(at(key_line, "secret_key is empty".to_owned()));
    }
    let credential = Credential::new(id, key);
    Ok(match token.filter(|t| !t.is_empty()) {
        Some(token) => credential.with_token(token),
        None => credential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, profile: &str) -> Result<Credential, CredentialError> {
        parse(
            text,
            profile,
            Path::new("/home/u/.tencentcloud/credentials"),
        )
    }

    #[test]
    fn reads_the_named_section_only() {
        let text = "# comment\n[other]\nsecret_id = AKIDother\nsecret_key = no\n\n[default]\nsecret_id = AKIDdef\nsecret_key = sk \n";
        let c = p(text, "default").unwrap();
        assert_eq!(
            (c.secret_id(), c.secret_key(), c.token()),
            ("AKIDdef", "sk", None)
        );
        assert_eq!(p(text, "other").unwrap().secret_id(), "AKIDother");
        let c = p("[default]\nsecret_id=a\nsecret_key=b\ntoken=t\n", "default").unwrap();
        assert_eq!(c.token(), Some("t"));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        // Found by fuzz/fuzz_targets/profile.rs: `[default]` after a BOM was no section.
        let c = p(
            "\u{feff}[default]\r\nsecret_id = a\r\nsecret_key = b\r\n",
            "default",
        )
        .unwrap();
        assert_eq!((c.secret_id(), c.secret_key()), ("a", "b"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = p("[default]\nsecret_id = AKID\n", "default").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid credential in profile file: /home/u/.tencentcloud/credentials: section [default] has no secret_key"
        );
        let e = p("[default]\nsecret_id AKID\n", "default").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid credential in profile file: /home/u/.tencentcloud/credentials:2: expected `key = value`"
        );
        let e = p("[default\n", "default").unwrap_err();
        assert!(e
            .to_string()
            .ends_with(":1: section header `[default` has no closing `]`"));
        let e = p("[default]\nsecret_id =\nsecret_key = k\n", "default").unwrap_err();
        assert!(e.to_string().ends_with(":2: secret_id is empty"));
        assert!(matches!(
            p("[x]\n", "default"),
            Err(CredentialError::NotFound { .. })
        ));
    }

    #[test]
    fn path_from_variable_then_home() {
        let env = Environment::from_vars([(CREDENTIALS_FILE, "/etc/tc"), ("HOME", "/home/u")]);
        assert_eq!(
            ProfileProvider::with_environment(&env).path(),
            Some(Path::new("/etc/tc"))
        );
        let env = Environment::from_vars([("HOME", "/home/u")]);
        assert_eq!(
            ProfileProvider::with_environment(&env).path(),
            Some(Path::new("/home/u/.tencentcloud/credentials"))
        );
        assert_eq!(
            ProfileProvider::with_environment(&Environment::from_vars::<&str, &str>([])).path(),
            None
        );
    }
}
