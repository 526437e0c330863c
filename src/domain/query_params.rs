//! A query string read into typed parameter structs, the very structs the API's document
//! describes (`Deserialize` for reading, `IntoParams` for the document), so the two cannot drift.
//! An endpoint reads several such structs (the response filter, the threshold, its own), which
//! serde cannot join into one struct and still name the field at fault, so each is read on its
//! own and `finish` refuses any parameter none of them has: a misspelt filter is an error, never
//! silently ignored.

use std::collections::{BTreeSet, HashMap};

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use super::validation::{path_error, trimmed_text, ValidationError};

/// The longest value of any parameter.
const MAX_VALUE_CHARS: usize = 200;

pub struct QueryParams {
    pairs: HashMap<String, String>,
    known: BTreeSet<&'static str>,
}

impl QueryParams {
    pub fn new(pairs: HashMap<String, String>) -> Self {
        Self {
            pairs,
            known: BTreeSet::new(),
        }
    }

    /// Reads the parameters `T` declares. Every value is trimmed, and refused if empty, longer
    /// than 200 characters or holding a control character; a missing required one is
    /// `required`, a value `T` cannot read `invalid_value`, each naming the parameter.
    pub fn take<T: DeserializeOwned>(&mut self) -> Result<T, ValidationError> {
        let fields = field_names::<T>();
        self.known.extend(fields);
        let mut encoder = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs.iter().filter(|(name, _)| fields.contains(&name.as_str())) {
            let value = trimmed_text(value, MAX_VALUE_CHARS)
                .map_err(|message| ValidationError::new(name, "invalid_value", format!("{name} {message}")))?;
            encoder.append_pair(name, &value);
        }
        // serde_urlencoded reads an encoded string only: the checked values are written back as one.
        let encoded = encoder.finish();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map_err(path_error)
    }

    /// Refuses the first parameter (in name order) that no struct read has.
    pub fn finish(self) -> Result<(), ValidationError> {
        let unknown = self
            .pairs
            .keys()
            .filter(|name| !self.known.contains(name.as_str()))
            .min();
        match unknown {
            Some(name) => Err(ValidationError::new(
                name,
                "unknown_field",
                format!("unknown field {name:?}"),
            )),
            None => Ok(()),
        }
    }
}

/// The fields a struct deriving `Deserialize` declares: the derive hands them to
/// `deserialize_struct`, which this deserializer records before giving up.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("parameters are read into a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("only the names were wanted"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut names));
    names
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Filter {
        form: String,
        min_cell: Option<u64>,
    }

    #[derive(Debug, Deserialize)]
    struct Grouping {
        by: Option<String>,
    }

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        QueryParams::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn each_struct_reads_its_own_parameters() {
        let mut query = params(&[("form", " seminar "), ("min_cell", "7"), ("by", "gender")]);
        let filter: Filter = query.take().unwrap();
        let grouping: Grouping = query.take().unwrap();
        query.finish().unwrap();
        assert_eq!((filter.form.as_str(), filter.min_cell), ("seminar", Some(7)));
        assert_eq!(grouping.by.as_deref(), Some("gender"));
    }

    #[test]
    fn faults_name_their_parameter() {
        let fault = |pairs: &[(&str, &str)]| {
            let error = params(pairs).take::<Filter>().unwrap_err();
            (error.field, error.code)
        };
        assert_eq!(fault(&[]), ("form".to_owned(), "required"));
        assert_eq!(
            fault(&[("form", "a"), ("min_cell", "x")]),
            ("min_cell".to_owned(), "invalid_value")
        );
        assert_eq!(
            fault(&[("form", "a"), ("min_cell", "-1")]),
            ("min_cell".to_owned(), "invalid_value")
        );
        assert_eq!(fault(&[("form", " ")]), ("form".to_owned(), "invalid_value"));
        assert_eq!(fault(&[("form", "a\u{0}")]), ("form".to_owned(), "invalid_value"));
        assert_eq!(
            fault(&[("form", &"a".repeat(201))]),
            ("form".to_owned(), "invalid_value")
        );
    }

    #[test]
    fn a_parameter_nobody_reads_is_refused() {
        let mut query = params(&[("form", "a"), ("from_date", "2019-01-01"), ("by", "x")]);
        query.take::<Filter>().unwrap();
        let error = query.finish().unwrap_err();
        assert_eq!((error.field.as_str(), error.code), ("by", "unknown_field"));
    }

    #[test]
    fn field_names_come_from_the_derive() {
        assert_eq!(field_names::<Filter>(), ["form", "min_cell"]);
    }
}
