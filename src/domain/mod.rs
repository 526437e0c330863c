//! Domain types: parsed from raw input, so a value that exists has already been checked.
//! Nothing here knows about HTTP or the database.

pub mod agency;
pub mod analysis_request;
pub mod answers;
pub mod attribute_block;
pub mod clock;
pub mod codebook;
pub mod coding;
pub mod coding_rule;
pub mod decimal;
pub mod era;
pub mod event;
pub mod event_column;
pub mod event_comparison;
pub mod event_profile;
pub mod fiscal_year;
pub mod form;
pub mod form_diff;
pub mod indicator;
pub mod lang;
pub mod meeting_note;
pub mod programme;
pub mod publicity;
pub mod query_params;
pub mod release_request;
pub mod relevance;
pub mod response_filter;
pub mod response_source;
pub mod schedule;
pub mod similar_comments;
pub mod survey_wave;
pub mod text_dictionary;
pub mod token;
pub mod validation;
pub mod vocabulary;
