//! Each rule of the policy.

use super::*;

/// Written as the generator writes a response type's `Decode`.
#[derive(Debug, PartialEq, Default)]
struct Answer {
    count: u64,
    delta: i64,
    ratio: f64,
    name: String,
    on: bool,
    items: Vec<Item>,
    maybe: Option<u64>,
    inner: Option<Item>,
    request_id: String,
}

crate::impl_decode!(Answer {
    count: "Count",
    delta: "Delta",
    ratio: "Ratio",
    name: "Name",
    on: "On",
    items: "Items",
    maybe: "Maybe",
    inner: "Inner",
    request_id: "RequestId",
});

#[derive(Debug, PartialEq, Default, Clone)]
struct Item {
    id: String,
    size: u64,
    tags: Vec<String>,
    child: Option<Box<Item>>,
}

crate::impl_decode!(Item {
    id: "Id",
    size: "Size",
    tags: "Tags",
    child: "Child",
});

fn full() -> &'static str {
    r#"{"Count":4,"Delta":-2,"Ratio":1.5,"Name":"n","On":true,"Items":[{"Id":"a","Size":1,"Tags":["x"]}],"Maybe":7,"Inner":null,"RequestId":"r"}"#
}

fn read(output: &str) -> Result<Decoded<Answer>, DecodeError> {
    response::<Answer>(format!(r#"{{"Response":{output}}}"#).as_bytes())
}

/// `full()` with one field's JSON replaced.
fn with(field: &str, json: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(full()).unwrap();
    value[field] = serde_json::from_str(json).unwrap();
    value.to_string()
}

fn expected() -> Answer {
    Answer {
        count: 4,
        delta: -2,
        ratio: 1.5,
        name: "n".into(),
        on: true,
        items: vec![Item {
            id: "a".into(),
            size: 1,
            tags: vec!["x".into()],
            child: None,
        }],
        maybe: Some(7),
        inner: None,
        request_id: "r".into(),
    }
}

#[test]
fn a_true_answer_reads_without_corrections() {
    let decoded = read(full()).unwrap();
    assert_eq!(decoded.output, expected());
    assert!(decoded.corrections.is_empty());
}

#[test]
fn numbers_sent_as_text_are_read_as_numbers() {
    for (field, json) in [
        ("Count", r#""4""#),
        ("Count", r#""4.0""#),
        ("Delta", r#""-2""#),
        ("Ratio", r#""1.5""#),
        ("Ratio", r#""15e-1""#),
        ("Maybe", r#""7""#),
    ] {
        let decoded = read(&with(field, json)).unwrap();
        assert_eq!(decoded.output, expected(), "{field} = {json}");
        assert!(decoded.corrections.is_empty());
    }
    let decoded = read(&with("Count", r#""18446744073709551615""#)).unwrap();
    assert_eq!(decoded.output.count, u64::MAX);
}

#[test]
fn whole_floats_are_read_as_integers() {
    assert_eq!(read(&with("Count", "4.0")).unwrap().output.count, 4);
    assert_eq!(read(&with("Delta", "-2.0")).unwrap().output.delta, -2);
    assert_eq!(read(&with("Ratio", "3")).unwrap().output.ratio, 3.0);
}

#[test]
fn numbers_and_bools_sent_where_text_is_wanted_are_read_as_their_text() {
    assert_eq!(read(&with("Name", "12")).unwrap().output.name, "12");
    assert_eq!(read(&with("Name", "-3")).unwrap().output.name, "-3");
    assert_eq!(read(&with("Name", "1.25")).unwrap().output.name, "1.25");
    assert_eq!(read(&with("Name", "true")).unwrap().output.name, "true");
}

#[test]
fn lists_and_objects_sent_where_text_is_wanted_are_read_as_their_json_text() {
    // Keys stay in the order sent.
    let json = r#"[1,-2,1.5,"a\"b",true,null,{"z":1,"a":[]}]"#;
    let answer = full().replace(r#""Name":"n""#, &format!(r#""Name":{json}"#));
    assert_eq!(read(&answer).unwrap().output.name, json);
    assert_eq!(read(&with("Name", "{}")).unwrap().output.name, "{}");
    assert_eq!(read(&with("Name", "[]")).unwrap().output.name, "[]");
}

#[test]
fn one_object_sent_where_a_list_is_wanted_is_a_list_of_one() {
    let decoded = read(&with("Items", r#"{"Id":"a","Size":"1","Tags":["x"]}"#)).unwrap();
    assert_eq!(decoded.output, expected());
    let error = read(&with("Items", r#"{"Id":"a","Size":"x"}"#)).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("Response.Items[0].Size"));
}

#[test]
fn bools_sent_as_text_or_flags_are_read_as_bools() {
    for (json, on) in [
        (r#""TRUE""#, true),
        (r#""True""#, true),
        (r#""true""#, true),
        (r#""FALSE""#, false),
        (r#""false""#, false),
        ("1", true),
        ("0", false),
        (r#""1""#, true),
        (r#""0""#, false),
    ] {
        assert_eq!(read(&with("On", json)).unwrap().output.on, on, "{json}");
    }
}

#[test]
fn text_that_is_no_number_is_an_error_naming_the_field() {
    for (field, json, message) in [
        (
            "Count",
            r#""xx""#,
            r#"expected an unsigned integer, found the text "xx""#,
        ),
        (
            "Count",
            r#""""#,
            r#"expected an unsigned integer, found the text """#,
        ),
        (
            "Count",
            r#""-1""#,
            r#"expected an unsigned integer, found the text "-1""#,
        ),
        (
            "Count",
            r#""4.5""#,
            r#"expected an unsigned integer, found the text "4.5""#,
        ),
        (
            "Count",
            r#"" 4""#,
            r#"expected an unsigned integer, found the text " 4""#,
        ),
        (
            "Delta",
            r#""Memory usage""#,
            r#"expected an integer, found the text "Memory usage""#,
        ),
        (
            "Ratio",
            r#""NaN""#,
            r#"expected a number, found the text "NaN""#,
        ),
        (
            "Ratio",
            r#""inf""#,
            r#"expected a number, found the text "inf""#,
        ),
        ("On", r#""yes""#, r#"expected a bool, found the text "yes""#),
        ("On", "2", "expected a bool, found the number 2"),
        (
            "Count",
            "4.5",
            "expected an unsigned integer, found the number 4.5",
        ),
        (
            "Count",
            "-1",
            "expected an unsigned integer, found the number -1",
        ),
        ("Delta", "[1]", "expected an integer, found a list"),
        ("Inner", "[]", "expected an object, found a list"),
        ("Items", r#""a""#, r#"expected a list, found the text "a""#),
    ] {
        let error = read(&with(field, json)).unwrap_err();
        assert_eq!(
            error.path.as_deref(),
            Some(format!("Response.{field}").as_str())
        );
        assert!(
            error.message.starts_with(message),
            "{field} = {json}: {}",
            error.message
        );
    }
}

#[test]
fn errors_name_the_innermost_path() {
    let answer = r#"{"Items":[{"Id":"a","Size":1,"Tags":[]},{"Id":"b","Size":"big","Tags":[]}]}"#;
    let error = read(answer).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("Response.Items[1].Size"));
    assert_eq!(
        error.to_string(),
        r#"Response.Items[1].Size: expected an unsigned integer, found the text "big""#
    );
}

#[test]
fn missing_or_null_required_fields_are_filled_and_recorded() {
    let answer =
        r#"{"Delta":null,"Items":[{"Id":"a","Size":null}],"Inner":{"Id":"i"},"RequestId":"r"}"#;
    let decoded = read(answer).unwrap();
    let empty_item = Item {
        id: "a".into(),
        ..Item::default()
    };
    let inner = Item {
        id: "i".into(),
        ..Item::default()
    };
    assert_eq!(
        decoded.output,
        Answer {
            items: vec![empty_item],
            inner: Some(inner),
            request_id: "r".into(),
            ..Answer::default()
        }
    );
    let found: Vec<String> = decoded
        .corrections
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "Response.Count: missing, read as its empty value",
            "Response.Delta: null, read as its empty value",
            "Response.Ratio: missing, read as its empty value",
            "Response.Name: missing, read as its empty value",
            "Response.On: missing, read as its empty value",
            "Response.Items[0].Size: null, read as its empty value",
            "Response.Items[0].Tags: missing, read as its empty value",
            "Response.Inner.Size: missing, read as its empty value",
            "Response.Inner.Tags: missing, read as its empty value",
        ]
    );
}

#[test]
fn absent_optional_fields_are_none_without_a_correction() {
    let answer = with("Maybe", "null");
    let decoded = read(&answer).unwrap();
    assert_eq!(decoded.output.maybe, None);
    assert!(decoded.corrections.is_empty());
}

#[test]
fn a_null_or_absent_object_is_filled_field_by_field_with_one_correction() {
    #[derive(Debug, PartialEq, Default)]
    struct Outer {
        item: Item,
    }
    crate::impl_decode!(Outer { item: "Item" });
    let decoded = response::<Outer>(br#"{"Response":{"Item":null}}"#).unwrap();
    assert_eq!(decoded.output.item, Item::default());
    assert_eq!(decoded.corrections.len(), 1);
    assert_eq!(decoded.corrections[0].found, Found::Null);
    let decoded = response::<Outer>(br#"{"Response":{}}"#).unwrap();
    assert_eq!(decoded.output.item, Item::default());
    assert_eq!(decoded.corrections.len(), 1);
    assert_eq!(decoded.corrections[0].path, "Response.Item");
}

#[test]
fn fewer_places_than_names_is_an_error_not_a_panic() {
    #[derive(Debug, Default)]
    struct Short {
        a: String,
    }
    impl Decode for Short {
        fn decode(at: At<'_>) -> Result<Self, DecodeError> {
            let mut value = Short::default();
            at.fields(&["A", "B"], &mut [&mut value.a])?;
            Ok(value)
        }
    }
    let error = response::<Short>(br#"{"Response":{"A":"x"}}"#).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("Response"));
    assert!(
        error.message.contains("1 fields to read for the 2 names"),
        "{}",
        error.message
    );
}

#[test]
fn a_type_that_contains_itself_is_not_filled_forever() {
    // No `Default` (a derived one would recurse forever), so not `impl_decode!`: read field
    // by field, as a hand-written `Decode` may.
    #[derive(Debug)]
    struct Loop {
        #[allow(dead_code)]
        next: Box<Loop>,
    }
    impl Decode for Loop {
        fn decode(at: At<'_>) -> Result<Self, DecodeError> {
            let object = at.object(&["Next"])?;
            Ok(Loop {
                next: object.field(0)?,
            })
        }
    }
    let error = response::<Loop>(br#"{"Response":{}}"#).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("Response.Next"));
    assert!(
        error.message.contains("contains itself"),
        "{}",
        error.message
    );
}

#[test]
fn unknown_fields_are_ignored_and_broken_json_is_an_error() {
    let answer = with("Extra", r#"{"deep":[1,"2",{"x":null}]}"#);
    assert_eq!(read(&answer).unwrap().output, expected());
    let error = response::<Answer>(br#"{"Response":{"Count":4,"#).unwrap_err();
    assert!(
        error.message.starts_with("EOF while parsing"),
        "{}",
        error.message
    );
    let error =
        response::<Answer>(format!(r#"{{"Response":{}}} x"#, full()).as_bytes()).unwrap_err();
    assert!(
        error.message.starts_with("trailing characters"),
        "{}",
        error.message
    );
}

#[test]
fn fields_are_found_in_any_order() {
    // The spec's order, reversed, shuffled, and with an unknown key between.
    for answer in [
        r#"{"Id":"a","Size":1,"Tags":[],"Child":null}"#,
        r#"{"Child":null,"Tags":[],"Size":1,"Id":"a"}"#,
        r#"{"Size":1,"Extra":0,"Id":"a","Child":null,"Tags":[]}"#,
    ] {
        let decoded = response::<Item>(format!(r#"{{"Response":{answer}}}"#).as_bytes()).unwrap();
        assert_eq!(
            decoded.output,
            Item {
                id: "a".into(),
                size: 1,
                tags: vec![],
                child: None
            },
            "{answer}"
        );
        assert!(decoded.corrections.is_empty(), "{answer}");
    }
}

#[test]
fn json_values_are_read_whole_and_a_key_sent_twice_reads_its_last_value() {
    let decoded =
        response::<serde_json::Value>(br#"{"Response":{"A":[1,"x",null],"B":{"C":1.5}}}"#).unwrap();
    assert_eq!(
        decoded.output,
        serde_json::json!({"A": [1, "x", null], "B": {"C": 1.5}})
    );
    assert!(decoded.corrections.is_empty());
    let answer = r#"{"Id":"first","Size":1,"Tags":[],"Id":"last"}"#;
    let decoded = response::<Item>(format!(r#"{{"Response":{answer}}}"#).as_bytes()).unwrap();
    assert_eq!(decoded.output.id, "last");
}
