//! What can go wrong while generating, as types: every problem names the file and the JSON
//! path, and the line where the parser knows it.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The spec file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Where in the JSON, such as `objects.Foo.members[2].member`; empty for the root.
    pub json_path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.json_path.is_empty() {
            write!(f, ": {}", self.json_path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why generation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Specs are malformed or inconsistent; every problem found, in order.
    Spec(Vec<Problem>),
    /// A Go SDK source file read for error codes has a line that is not what its format
    /// says; every such line, with its file and line number (the JSON path is empty).
    GoSource(Vec<Problem>),
    /// Emitted code did not parse: a bug in the generator, reported with the service.
    Emit {
        /// The service version being generated.
        service: String,
        /// The parser's message.
        message: String,
    },
    /// `generate` or `check` was called without `Builder::out_dir`.
    NoOutputDir,
    /// Two `Builder` settings that do not go together, named.
    Incompatible(&'static str, &'static str),
    /// Two specs describe the same service version.
    Duplicate {
        /// The module both would generate.
        module: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Spec(problems) => list(f, "specs", problems),
            Self::GoSource(problems) => list(f, "Go SDK sources", problems),
            Self::NoOutputDir => f.write_str("no output directory: call Builder::out_dir"),
            Self::Incompatible(a, b) => write!(f, "{a} and {b} do not go together"),
            Self::Emit { service, message } => write!(
                f,
                "generated code for {service} does not parse (a generator bug): {message}"
            ),
            Self::Duplicate {
                module,
                first,
                second,
            } => write!(
                f,
                "{} and {} both describe {module}",
                first.display(),
                second.display()
            ),
        }
    }
}

/// `N problem(s) in WHERE:` and one problem a line.
fn list(f: &mut fmt::Formatter<'_>, place: &str, problems: &[Problem]) -> fmt::Result {
    let n = problems.len();
    write!(
        f,
        "{n} problem{} in {place}:",
        if n == 1 { "" } else { "s" }
    )?;
    for problem in problems {
        write!(f, "\n  {problem}")?;
    }
    Ok(())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
