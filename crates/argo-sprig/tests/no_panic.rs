//! Property tests: no sprig function panics, whatever JSON it is given, and each answers
//! deterministically for a fixed context.

use argo_sprig::{Context, FUNCTIONS, call};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn context() -> Context {
    Context {
        now: "2024-05-06T07:08:09.123456789Z"
            .parse()
            .expect("valid timestamp"),
        seed: 7,
    }
}

/// Strings that exercise the parsers: numbers, durations, dates, layouts, regexes, versions,
/// URLs, and arbitrary Unicode.
fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-Fx.+-]{0,12}",
        "[0-9]{1,4}(h|m|s|ms|us|ns|µs)[0-9.]{0,4}",
        "(2006|01|02|15|04|05|Jan|Monday|MST|PM|-07:00|Z07:00|\\.000|\\.999|_2|002| |/|:){0,8}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})",
        "[\\^~<>=!*xX0-9., |-]{0,16}",
        "[a-z]{0,5}(://)?[a-z@:%0-9\\[\\]]{0,10}(/[a-z% ]{0,5})?(\\?[a-z=&]{0,5})?(#[a-z]{0,3})?",
        "[()\\[\\]*+?.a-c\\\\|{}0-9,]{0,10}",
        "[A-Za-z_ -]{0,16}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        interesting_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn no_function_panics_on_arbitrary_arguments(
        index in 0..FUNCTIONS.len(),
        args in prop::collection::vec(json_value(), 0..5),
    ) {
        let name = FUNCTIONS[index];
        let first = call(name, &args, &context());
        let second = call(name, &args, &context());
        prop_assert_eq!(first, second);
    }
}

/// What Go's `json.Unmarshal` into `interface{}` makes of a value: every number a float64.
fn as_go_decoded(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(as_go_decoded).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_go_decoded(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #[test]
    fn to_json_then_from_json_gives_back_the_value(value in json_value()) {
        for encoder in ["toJson", "toRawJson", "toPrettyJson"] {
            let encoded = call(encoder, std::slice::from_ref(&value), &context()).expect("marshals");
            let decoded = call("mustFromJson", &[encoded], &context()).expect("parses");
            prop_assert_eq!(&decoded, &as_go_decoded(&value));
        }
    }

    #[test]
    fn base64_and_base32_round_trip(text in any::<String>()) {
        for (encode, decode) in [("b64enc", "b64dec"), ("b32enc", "b32dec")] {
            let encoded = call(encode, &[Value::from(text.clone())], &context()).expect("encodes");
            let decoded = call(decode, &[encoded], &context()).expect("decodes");
            prop_assert_eq!(decoded, Value::from(text.clone()));
        }
    }

    #[test]
    fn split_list_undoes_join(items in prop::collection::vec("[a-z]{0,4}", 1..6)) {
        let list = Value::Array(items.iter().cloned().map(Value::from).collect());
        let joined = call("join", &[Value::from(","), list.clone()], &context()).expect("joins");
        let split = call("splitList", &[Value::from(","), joined], &context()).expect("splits");
        prop_assert_eq!(split, list);
    }
}
