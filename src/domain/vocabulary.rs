//! The closed lists of values the API spells as English ids and reports name in both languages:
//! event formats, speaker types, publicity channels and kinds of agency. One list each, read by
//! validation, the analyses and the dashboard alike.

use serde_json::Value;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};

use super::lang::Lang;
use super::validation::ValidationError;

/// A string that is one of `names`, as the API's document lists it; for the lists fixed in code
/// (event kinds, groupings), from the same constant validation reads.
pub fn one_of(names: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .build()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub id: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

impl Term {
    pub const fn new(id: &'static str, ja: &'static str, en: &'static str) -> Self {
        Self { id, ja, en }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Vocabulary(pub &'static [Term]);

impl Vocabulary {
    pub fn find(self, id: &str) -> Option<Term> {
        self.0.iter().copied().find(|term| term.id == id)
    }

    pub fn contains(self, id: &str) -> bool {
        self.find(id).is_some()
    }

    pub fn terms(self) -> impl Iterator<Item = Term> {
        self.0.iter().copied()
    }

    /// The ids as the API contract's enumeration, so the document lists what validation takes.
    pub fn schema(self) -> Object {
        one_of(self.terms().map(|term| term.id))
    }

    /// The ids or `null`, for a field that may be left out or cleared.
    pub fn optional_schema(self) -> Schema {
        Schema::OneOf(
            OneOfBuilder::new()
                .item(ObjectBuilder::new().schema_type(Type::Null))
                .item(self.schema())
                .build(),
        )
    }

    /// An id, if it is one of the list's; else the refusal naming `field`.
    pub fn checked(self, field: &str, id: String) -> Result<String, ValidationError> {
        if self.contains(&id) {
            Ok(id)
        } else {
            let message = format!("must be one of {}", self.ids());
            Err(ValidationError::new(field, "invalid_value", message))
        }
    }

    /// A JSON value that must be one of the ids, or the message saying which it may be.
    pub fn parse(self, value: &Value) -> Result<String, String> {
        value
            .as_str()
            .filter(|id| self.contains(id))
            .map(str::to_owned)
            .ok_or_else(|| format!("must be one of {}", self.ids()))
    }

    pub fn ids(self) -> String {
        self.terms().map(|term| term.id).collect::<Vec<_>>().join(", ")
    }
}

pub const FORMATS: Vocabulary = Vocabulary(&[
    Term::new("lecture", "講演", "Lecture"),
    Term::new("free_talk", "フリートーク", "Free talk"),
    Term::new("lived_experience_talk", "当事者の体験談", "Lived-experience talk"),
    Term::new("group_work", "グループワーク", "Group work"),
    Term::new("case_review", "事例検討", "Case review"),
    Term::new("other", "その他", "Other"),
]);

pub const SPEAKER_TYPES: Vocabulary = Vocabulary(&[
    Term::new("leading_expert", "第一人者の専門家", "Leading expert"),
    Term::new("expert", "専門家", "Expert"),
    Term::new("lived_experience", "当事者", "Person with lived experience"),
    Term::new("staff", "職員", "Staff"),
    Term::new("other", "その他", "Other"),
]);

pub const CHANNELS: Vocabulary = Vocabulary(&[
    Term::new("sns", "SNS", "Social media"),
    Term::new("city_newsletter", "市の広報誌", "City newsletter"),
    Term::new("newspaper", "新聞", "Newspaper"),
    Term::new("website", "ホームページ", "Website"),
    Term::new("poster_flyer", "ポスター・チラシ", "Poster or flyer"),
    Term::new("agency_notice", "関係機関への周知", "Notice to agencies"),
    Term::new("direct_mail", "郵送", "Direct mail"),
    Term::new("email", "メール", "Email"),
    Term::new("other", "その他", "Other"),
]);

pub const AGENCY_KINDS: Vocabulary = Vocabulary(&[
    Term::new("medical", "医療機関", "Medical"),
    Term::new("mental_health_welfare", "精神保健福祉", "Mental health and welfare"),
    Term::new("corrections", "矯正施設", "Corrections"),
    Term::new("probation", "保護観察所", "Probation"),
    Term::new("self_help_group", "自助グループ", "Self-help group"),
    Term::new("recovery_facility", "回復支援施設", "Recovery facility"),
    Term::new("police", "警察", "Police"),
    Term::new("education", "教育機関", "Education"),
    Term::new("municipal", "行政", "Municipal"),
    Term::new("other", "その他", "Other"),
]);
