//! Where a response came from: the phone form, a program through the API, or a paper
//! questionnaire staff keyed in (accepted for a closed or past event, never a cancelled one).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Phone,
    Api,
    Paper,
}

impl Source {
    pub const ALL: [Self; 3] = [Self::Phone, Self::Api, Self::Paper];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Api => "api",
            Self::Paper => "paper",
        }
    }
}

/// Who sent a response and how: paper is keyed in by a staff token, which is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub source: Source,
    pub entered_by: Option<uuid::Uuid>,
}

impl Entry {
    pub const PHONE: Self = Self {
        source: Source::Phone,
        entered_by: None,
    };
    pub const API: Self = Self {
        source: Source::Api,
        entered_by: None,
    };

    pub fn paper(entered_by: uuid::Uuid) -> Self {
        Self {
            source: Source::Paper,
            entered_by: Some(entered_by),
        }
    }

    /// Paper answers arrive after the event, so its closing does not refuse them.
    pub fn ignores_closing(self) -> bool {
        self.source == Source::Paper
    }
}
