//! What changed between two versions of a form, question by question: what staff check before
//! an event asks a new version, since answers compare across versions only where nothing changed.

use serde::Serialize;

use super::form::{Choice, FormDefinition, Question, QuestionKind};
use super::lang::Localized;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    TitleChanged {
        from: Localized,
        to: Localized,
    },
    IntroChanged {
        from: Localized,
        to: Localized,
    },
    QuestionAdded {
        question: String,
        label: Localized,
    },
    QuestionRemoved {
        question: String,
        label: Localized,
    },
    QuestionRelabelled {
        question: String,
        from: Localized,
        to: Localized,
    },
    HelpChanged {
        question: String,
    },
    TypeChanged {
        question: String,
        from: &'static str,
        to: &'static str,
    },
    RequiredChanged {
        question: String,
        required: bool,
    },
    RuleChanged {
        question: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// A scale's or a number's range, a text's length, or a scale's end labels.
    LimitsChanged {
        question: String,
        from: String,
        to: String,
    },
    OptionAdded {
        question: String,
        value: String,
        label: Localized,
    },
    OptionRemoved {
        question: String,
        value: String,
        label: Localized,
    },
    OptionRelabelled {
        question: String,
        value: String,
        from: Localized,
        to: Localized,
    },
    /// The same questions in another order.
    Reordered,
    /// Sections (groups) added, removed, relabelled, given another rule, or questions moved
    /// between them.
    SectionsChanged,
    /// Notes (texts between questions) added, removed, reworded or moved.
    NotesChanged,
}

/// The changes from `old` to `new`, in the new form's order (removed questions first).
pub fn diff(old: &FormDefinition, new: &FormDefinition) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(Change::TitleChanged {
            from: old.title.clone(),
            to: new.title.clone(),
        });
    }
    if old.intro != new.intro {
        changes.push(Change::IntroChanged {
            from: old.intro.clone(),
            to: new.intro.clone(),
        });
    }
    let moved = new
        .questions
        .iter()
        .any(|q| old.question(&q.id).is_some_and(|before| before.section != q.section));
    if old.sections != new.sections || moved {
        changes.push(Change::SectionsChanged);
    }
    if old.notes != new.notes {
        changes.push(Change::NotesChanged);
    }
    for gone in old.questions.iter().filter(|q| new.question(&q.id).is_none()) {
        changes.push(Change::QuestionRemoved {
            question: gone.id.clone(),
            label: gone.label.clone(),
        });
    }
    for question in &new.questions {
        match old.question(&question.id) {
            None => changes.push(Change::QuestionAdded {
                question: question.id.clone(),
                label: question.label.clone(),
            }),
            Some(before) => question_changes(before, question, &mut changes),
        }
    }
    let kept_order = |form: &FormDefinition, other: &FormDefinition| -> Vec<String> {
        form.questions
            .iter()
            .filter(|q| other.question(&q.id).is_some())
            .map(|q| q.id.clone())
            .collect()
    };
    if kept_order(old, new) != kept_order(new, old) {
        changes.push(Change::Reordered);
    }
    changes
}

fn question_changes(before: &Question, after: &Question, changes: &mut Vec<Change>) {
    let question = after.id.clone();
    if before.label != after.label {
        changes.push(Change::QuestionRelabelled {
            question: question.clone(),
            from: before.label.clone(),
            to: after.label.clone(),
        });
    }
    if before.help != after.help {
        changes.push(Change::HelpChanged {
            question: question.clone(),
        });
    }
    if before.required != after.required {
        changes.push(Change::RequiredChanged {
            question: question.clone(),
            required: after.required,
        });
    }
    let rule = |q: &Question| q.relevant.as_ref().map(|r| r.source().to_owned());
    if rule(before) != rule(after) {
        changes.push(Change::RuleChanged {
            question: question.clone(),
            from: rule(before),
            to: rule(after),
        });
    }
    if before.kind.type_name() != after.kind.type_name() {
        changes.push(Change::TypeChanged {
            question,
            from: before.kind.type_name(),
            to: after.kind.type_name(),
        });
        return;
    }
    if let (Some(from), Some(to)) = (limits(&before.kind), limits(&after.kind)) {
        if from != to {
            changes.push(Change::LimitsChanged {
                question: question.clone(),
                from,
                to,
            });
        }
    }
    option_changes(&question, before.kind.options(), after.kind.options(), changes);
}

/// A question's limits in words, for the kinds that have them.
fn limits(kind: &QuestionKind) -> Option<String> {
    match kind {
        QuestionKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => Some(format!("{min} ({}) – {max} ({})", min_label.ja, max_label.ja)),
        QuestionKind::Number { min, max } => Some(format!("{min} – {max}")),
        QuestionKind::Text { max_length } => Some(format!("≤ {max_length}")),
        _ => None,
    }
}

fn option_changes(question: &str, before: &[Choice], after: &[Choice], changes: &mut Vec<Change>) {
    for gone in before.iter().filter(|o| !after.iter().any(|a| a.value == o.value)) {
        changes.push(Change::OptionRemoved {
            question: question.to_owned(),
            value: gone.value.clone(),
            label: gone.label.clone(),
        });
    }
    for option in after {
        match before.iter().find(|b| b.value == option.value) {
            None => changes.push(Change::OptionAdded {
                question: question.to_owned(),
                value: option.value.clone(),
                label: option.label.clone(),
            }),
            Some(old) if old.label != option.label => changes.push(Change::OptionRelabelled {
                question: question.to_owned(),
                value: option.value.clone(),
                from: old.label.clone(),
                to: option.label.clone(),
            }),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn seminar() -> Value {
        serde_json::from_str(include_str!("../../survey_forms/seminar.json")).unwrap()
    }

    fn parse(value: &Value) -> FormDefinition {
        FormDefinition::parse_json(&value.to_string()).unwrap()
    }

    #[test]
    fn the_same_form_has_no_changes() {
        assert_eq!(diff(&parse(&seminar()), &parse(&seminar())), []);
    }

    #[test]
    fn each_kind_of_change_is_named_by_its_question() {
        let old = seminar();
        let mut new = seminar();
        let questions = new["questions"].as_array_mut().unwrap();
        let removed = questions.remove(3);
        questions[0]["label"]["ja"] = json!("満足度");
        questions[0]["max"] = json!(7);
        questions[2]["options"][0]["label"]["en"] = json!("Definitely");
        questions[2]["options"].as_array_mut().unwrap().pop();
        questions[2]["options"]
            .as_array_mut()
            .unwrap()
            .push(json!({"value": "later", "label": {"ja": "いつか", "en": "Some day"}}));
        questions[1]["relevant"] = json!("${satisfaction} >= 3");
        questions
            .push(json!({"id": "extra", "type": "text", "label": {"ja": "他に", "en": "More"}, "max_length": 100}));
        let changes = diff(&parse(&old), &parse(&new));
        assert!(changes.contains(&Change::QuestionRemoved {
            question: removed["id"].as_str().unwrap().into(),
            label: serde_json::from_value(removed["label"].clone()).unwrap(),
        }));
        let names: Vec<String> = changes
            .iter()
            .map(|c| serde_json::to_value(c).unwrap()["change"].as_str().unwrap().to_owned())
            .collect();
        for expected in [
            "question_relabelled",
            "limits_changed",
            "option_relabelled",
            "option_removed",
            "option_added",
            "rule_changed",
            "question_added",
        ] {
            assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
        }
        assert!(
            !names.iter().any(|n| n == "reordered"),
            "removing a question is not reordering"
        );
    }

    #[test]
    fn moving_questions_is_a_reordering() {
        let mut new = seminar();
        new["questions"].as_array_mut().unwrap().swap(0, 1);
        assert_eq!(diff(&parse(&seminar()), &parse(&new)), [Change::Reordered]);
    }
}
