//! The environment variables the runtime reads, behind one type so tests and users can
//! supply their own instead of the process's (which is global and shared between tests).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Where `TENCENTCLOUD_*` variables are read from: the process, or a fixed set.
#[derive(Clone, Default)]
pub struct Environment {
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Environment {
    /// The process's environment, read at each lookup.
    pub fn process() -> Self {
        Self { fixed: None }
    }

    /// A fixed set of variables; the process's own are ignored.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self {
            fixed: Some(Arc::new(vars)),
        }
    }

    /// The value of `name`, or `None` when it is unset, empty or not UTF-8.
    ///
    /// Empty counts as unset because CI systems commonly define secrets as empty strings.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Environment {
    // Only names: the values are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Environment(process)"),
            Some(vars) => {
                let mut names: Vec<&String> = vars.keys().collect();
                names.sort();
                f.debug_tuple("Environment").field(&names).finish()
            }
        }
    }
}
