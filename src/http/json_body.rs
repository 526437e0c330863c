//! JSON bodies and query strings: a size limit and errors in the API's own format.

use std::fmt;

use actix_web::error::JsonPayloadError;
use actix_web::web;
use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::error::ApiError;

pub fn config(max_body_bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(max_body_bytes)
        .error_handler(move |error, _request| {
            match error {
                JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                    ApiError::PayloadTooLarge(max_body_bytes)
                }
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType("application/json"),
                other => ApiError::BadRequest(format!("the body is not valid JSON: {other}")),
            }
            .into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|error, _request| ApiError::BadRequest(format!("the query string is not valid: {error}")).into())
}

/// A JSON body whose objects never repeat a key. serde_json keeps the last of two, so
/// `{"submission_id": A, "submission_id": B}` would silently be read as B; this refuses it.
pub struct StrictJson(pub Value);

impl<'de> Deserialize<'de> for StrictJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictJson)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!("the key {key:?} appears twice")));
            }
            let StrictJson(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::StrictJson;

    #[test]
    fn repeated_keys_are_refused_at_any_depth() {
        let read = |text: &str| serde_json::from_str::<StrictJson>(text).map(|json| json.0);
        assert!(read(r#"{"a": 1, "a": 2}"#).is_err());
        assert!(read(r#"{"answers": {"q": 1, "q": 1}}"#).is_err());
        assert!(read(r#"[{"a": 1}, {"a": 2, "b": [1, {"c": null, "c": 1}]}]"#).is_err());
        let value = read(r#"{"a": [1, 2.5, "x", true, null, {"b": -3}]}"#).unwrap();
        assert_eq!(value, serde_json::json!({"a": [1, 2.5, "x", true, null, {"b": -3}]}));
    }
}
