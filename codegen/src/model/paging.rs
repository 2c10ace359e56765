//! Which actions list their results in pages, and how (docs/spec-format.md, Paged
//! listings): the rules that find them in a spec, and the `pagination` extension that says
//! so where the rules cannot tell.
//!
//! - `Offset` and `Limit` (integers) in the request: by offset;
//! - `PageNumber` and `PageSize` (integers) in the request: by page number;
//! - a cursor: the request's `NextToken`, `Marker`, `Cursor` or `Context` (text) and the
//!   response's `NextToken`, `NextMarker`, `NextCursor`, `Cursor` or `Context`, in the pairs
//!   of [`CURSORS`].
//!
//! The response's total is its integer `TotalCount` or `Total`; its items, its one `list`
//! member when it has exactly one. An offset or page listing needs one of the two to know
//! where it ends; without either it is not paged.

use crate::spec::{self, Spec};

/// The cursor pairs the rules know: the request's field, the response's.
pub const CURSORS: &[(&str, &str)] = &[
    ("NextToken", "NextToken"),
    ("Marker", "NextMarker"),
    ("Cursor", "NextCursor"),
    ("Cursor", "Cursor"),
    ("Context", "Context"),
];
/// The response's total count, in the order the rules look for it.
const TOTALS: &[&str] = &["TotalCount", "Total"];

/// How an action pages, in wire names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// By `offset` and `limit`.
    Offset {
        /// The request's offset field.
        offset: String,
        /// The request's page size field.
        limit: String,
    },
    /// By page `number` (from 1) and `size`.
    Page {
        /// The request's page number field.
        number: String,
        /// The request's page size field.
        size: String,
    },
    /// By a cursor.
    Cursor {
        /// The request's cursor field.
        input: String,
        /// The response's next cursor field.
        output: String,
    },
}

impl Kind {
    /// The word the docs use for it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Offset { .. } => "offset",
            Self::Page { .. } => "page",
            Self::Cursor { .. } => "cursor",
        }
    }
}

/// What the rules (or the extension) found: the kind, the response's total, its items list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// How it pages.
    pub kind: Kind,
    /// The response's total count field.
    pub total: Option<String>,
    /// The response's list of items.
    pub items: Option<String>,
}

/// How `action` pages, if it does.
pub fn find(spec: &Spec, action: &spec::Action) -> Option<Rule> {
    let input = spec.objects.get(&action.input)?;
    let output = spec.objects.get(&action.output)?;
    let member = |object: &spec::Object, name: &str, kind: &str| {
        object
            .members
            .iter()
            .any(|m| m.name == name && m.kind == kind)
    };
    let lists: Vec<&str> = output
        .members
        .iter()
        .filter(|m| m.kind == "list")
        .map(|m| m.name.as_str())
        .collect();
    let only_list = (lists.len() == 1).then(|| lists[0].to_owned());
    let total = TOTALS
        .iter()
        .find(|t| member(output, t, "int"))
        .map(|t| (*t).to_owned());
    if let Some(extension) = &action.pagination {
        let kind = match extension.kind.as_str() {
            "offset" => Kind::Offset {
                offset: "Offset".to_owned(),
                limit: "Limit".to_owned(),
            },
            "page" => Kind::Page {
                number: "PageNumber".to_owned(),
                size: "PageSize".to_owned(),
            },
            "cursor" => Kind::Cursor {
                input: extension.input.clone()?,
                output: extension.output.clone()?,
            },
            _ => return None,
        };
        return Some(Rule {
            kind,
            total: extension.total.clone().or(total),
            items: extension.items.clone().or(only_list),
        });
    }
    let kind = if member(input, "Offset", "int") && member(input, "Limit", "int") {
        Kind::Offset {
            offset: "Offset".to_owned(),
            limit: "Limit".to_owned(),
        }
    } else if member(input, "PageNumber", "int") && member(input, "PageSize", "int") {
        Kind::Page {
            number: "PageNumber".to_owned(),
            size: "PageSize".to_owned(),
        }
    } else {
        let (input, output) = CURSORS
            .iter()
            .find(|(i, o)| member(input, i, "string") && member(output, o, "string"))?;
        return Some(Rule {
            kind: Kind::Cursor {
                input: (*input).to_owned(),
                output: (*output).to_owned(),
            },
            total: None,
            items: only_list,
        });
    };
    // Without a total or a list to count, the end of the listing cannot be known.
    (total.is_some() || only_list.is_some()).then_some(Rule {
        kind,
        total,
        items: only_list,
    })
}
