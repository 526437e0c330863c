//! What changed between two versions of a form, question by question: what staff check before
//! an event asks a new version, since answers compare across versions only where nothing changed.

use serde::Serialize;
use utoipa::ToSchema;

use super::form::{Choice, FormDefinition, Question, QuestionKind, Section};
use super::lang::Localized;

/// One change, named by `change`, with the question, section or note it is in and what it was
/// and is.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
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
    /// Why the form asks what it asks (for staff; attendees never see it).
    PurposeChanged {
        from: Option<Localized>,
        to: Option<Localized>,
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
    SectionAdded {
        section: String,
        label: Localized,
    },
    SectionRemoved {
        section: String,
        label: Localized,
    },
    SectionRelabelled {
        section: String,
        from: Localized,
        to: Localized,
    },
    SectionRuleChanged {
        section: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// A question now in another section (`None`: in none).
    QuestionMoved {
        question: String,
        from: Option<String>,
        to: Option<String>,
    },
    NoteAdded {
        note: String,
        text: Localized,
    },
    NoteRemoved {
        note: String,
        text: Localized,
    },
    NoteReworded {
        note: String,
        from: Localized,
        to: Localized,
    },
    /// A note now shown before another question (`None`: after the last).
    NoteMoved {
        note: String,
        from: Option<String>,
        to: Option<String>,
    },
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
    if old.purpose != new.purpose {
        changes.push(Change::PurposeChanged {
            from: old.purpose.clone(),
            to: new.purpose.clone(),
        });
    }
    section_changes(old, new, &mut changes);
    note_changes(old, new, &mut changes);
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

/// The elements only in `old` (removed), then each of `new` with its namesake in `old`, if any.
fn paired<'a, T>(old: &'a [T], new: &'a [T], id: impl Fn(&T) -> &str) -> (Vec<&'a T>, Vec<(Option<&'a T>, &'a T)>) {
    let find = |list: &'a [T], wanted: &str| list.iter().find(|item| id(item) == wanted);
    let removed = old.iter().filter(|item| find(new, id(item)).is_none()).collect();
    let kept = new.iter().map(|item| (find(old, id(item)), item)).collect();
    (removed, kept)
}

fn section_changes(old: &FormDefinition, new: &FormDefinition, changes: &mut Vec<Change>) {
    let (removed, kept) = paired(&old.sections, &new.sections, |s| &s.id);
    for gone in removed {
        changes.push(Change::SectionRemoved {
            section: gone.id.clone(),
            label: gone.label.clone(),
        });
    }
    let rule = |s: &Section| s.relevant.as_ref().map(|r| r.source().to_owned());
    for (before, after) in kept {
        let section = after.id.clone();
        let Some(before) = before else {
            changes.push(Change::SectionAdded {
                section,
                label: after.label.clone(),
            });
            continue;
        };
        if before.label != after.label {
            changes.push(Change::SectionRelabelled {
                section: section.clone(),
                from: before.label.clone(),
                to: after.label.clone(),
            });
        }
        if rule(before) != rule(after) {
            changes.push(Change::SectionRuleChanged {
                section,
                from: rule(before),
                to: rule(after),
            });
        }
    }
    for question in &new.questions {
        if let Some(before) = old.question(&question.id).filter(|b| b.section != question.section) {
            changes.push(Change::QuestionMoved {
                question: question.id.clone(),
                from: before.section.clone(),
                to: question.section.clone(),
            });
        }
    }
}

fn note_changes(old: &FormDefinition, new: &FormDefinition, changes: &mut Vec<Change>) {
    let (removed, kept) = paired(&old.notes, &new.notes, |n| &n.id);
    for gone in removed {
        changes.push(Change::NoteRemoved {
            note: gone.id.clone(),
            text: gone.text.clone(),
        });
    }
    for (before, after) in kept {
        let note = after.id.clone();
        let Some(before) = before else {
            changes.push(Change::NoteAdded {
                note,
                text: after.text.clone(),
            });
            continue;
        };
        if before.text != after.text {
            changes.push(Change::NoteReworded {
                note: note.clone(),
                from: before.text.clone(),
                to: after.text.clone(),
            });
        }
        if before.before != after.before {
            changes.push(Change::NoteMoved {
                note,
                from: before.before.clone(),
                to: after.before.clone(),
            });
        }
    }
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
    let (removed, kept) = paired(before, after, |o| &o.value);
    for gone in removed {
        changes.push(Change::OptionRemoved {
            question: question.to_owned(),
            value: gone.value.clone(),
            label: gone.label.clone(),
        });
    }
    for (old, option) in kept {
        match old {
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
        new["purpose"]["ja"] = json!("意見の傾向を見るため");
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
            "purpose_changed",
        ] {
            assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
        }
        assert!(
            !names.iter().any(|n| n == "reordered"),
            "removing a question is not reordering"
        );
    }

    #[test]
    fn sections_and_notes_are_named_in_each_change() {
        let mut old = seminar();
        old["sections"] = json!([
            {"id": "about_today", "label": {"ja": "今日", "en": "Today"}},
            {"id": "about_you", "label": {"ja": "あなた", "en": "You"}},
        ]);
        old["notes"] = json!([{"id": "thanks", "text": {"ja": "ありがとう", "en": "Thanks"}}]);
        let questions = old["questions"].as_array_mut().unwrap();
        questions[0]["section"] = json!("about_today");
        questions[1]["section"] = json!("about_you");
        let mut new = old.clone();
        new["sections"][0]["label"]["ja"] = json!("本日について");
        new["sections"][1] =
            json!({"id": "more", "label": {"ja": "もっと", "en": "More"}, "relevant": "${satisfaction} >= 3"});
        new["questions"][1]["section"] = json!("more");
        new["notes"][0]["text"]["ja"] = json!("ご協力ありがとう");
        new["notes"][0]["before"] = new["questions"][2]["id"].clone();
        new["notes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "later", "text": {"ja": "後で", "en": "Later"}}));
        let changes = diff(&parse(&old), &parse(&new));
        let named: Vec<(String, String)> = changes
            .iter()
            .map(|c| {
                let value = serde_json::to_value(c).unwrap();
                let whose = ["section", "question", "note"]
                    .iter()
                    .find_map(|k| value[k].as_str())
                    .unwrap_or_default()
                    .to_owned();
                (value["change"].as_str().unwrap().to_owned(), whose)
            })
            .collect();
        let expected = [
            ("section_removed", "about_you"),
            ("section_relabelled", "about_today"),
            ("section_added", "more"),
            ("question_moved", "understanding"),
            ("note_reworded", "thanks"),
            ("note_moved", "thanks"),
            ("note_added", "later"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(c, w)| ((*c).into(), (*w).into())).collect();
        assert_eq!(named, expected);
    }

    #[test]
    fn moving_questions_is_a_reordering() {
        let mut new = seminar();
        new["questions"].as_array_mut().unwrap().swap(0, 1);
        assert_eq!(diff(&parse(&seminar()), &parse(&new)), [Change::Reordered]);
    }
}
