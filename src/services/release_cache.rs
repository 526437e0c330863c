//! Researchers' releases kept once built. A researcher's release reads frozen partitions only, so
//! the same request over the same frozen partitions is the same document: a later request need
//! not count every frozen answer again. The key holds all a document is made of (see
//! [`ReleaseKey`]); the few most recent documents are kept.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// What a researcher's release is made of: the request, the form as asked (its version and the
/// agency list as options), whether opinions are segmented, and the frozen partitions of the
/// form ([`crate::db::releases::frozen_state`]: their watermarks and their events, which an event
/// deleted with its answers changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseKey(String);

impl ReleaseKey {
    pub fn new(request: &Value, form: &Value, segmented: bool, frozen: &str) -> Self {
        Self(format!("{request}\u{1f}{form}\u{1f}{segmented}\u{1f}{frozen}"))
    }
}

pub struct ReleaseCache {
    /// Most recently used first.
    documents: Mutex<VecDeque<(ReleaseKey, Arc<Value>)>>,
    /// Documents kept (each some hundred kilobytes); none with 0.
    capacity: usize,
}

impl ReleaseCache {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            documents: Mutex::default(),
            capacity,
        }
    }

    pub fn get(&self, key: &ReleaseKey) -> Option<Arc<Value>> {
        let mut documents = self.documents.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let position = documents.iter().position(|(k, _)| k == key)?;
        let entry = documents.remove(position)?;
        let document = entry.1.clone();
        documents.push_front(entry);
        Some(document)
    }

    pub fn put(&self, key: ReleaseKey, document: Arc<Value>) {
        let mut documents = self.documents.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        documents.retain(|(k, _)| *k != key);
        documents.push_front((key, document));
        documents.truncate(self.capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> ReleaseKey {
        ReleaseKey::new(&Value::from(i), &Value::Null, true, "")
    }

    const CAPACITY: usize = 4;

    #[test]
    fn keeps_the_most_recently_used_documents() {
        let cache = ReleaseCache::with_capacity(CAPACITY);
        for i in 0..CAPACITY {
            cache.put(key(i), Arc::new(Value::from(i)));
        }
        // Using the oldest keeps it; the next oldest goes when one more comes.
        assert_eq!(cache.get(&key(0)).as_deref(), Some(&Value::from(0)));
        cache.put(key(CAPACITY), Arc::new(Value::from(CAPACITY)));
        assert!(cache.get(&key(1)).is_none());
        assert!(cache.get(&key(0)).is_some());
        assert!(cache.get(&key(CAPACITY)).is_some());
        let none = ReleaseCache::with_capacity(0);
        none.put(key(0), Arc::new(Value::Null));
        assert!(none.get(&key(0)).is_none());
    }

    #[test]
    fn a_key_differs_with_any_of_its_parts() {
        let base = ReleaseKey::new(&Value::from("form=seminar"), &Value::from(1), true, "2024/seminar:10:3");
        for other in [
            ReleaseKey::new(&Value::from("form=forum"), &Value::from(1), true, "2024/seminar:10:3"),
            ReleaseKey::new(&Value::from("form=seminar"), &Value::from(2), true, "2024/seminar:10:3"),
            ReleaseKey::new(
                &Value::from("form=seminar"),
                &Value::from(1),
                false,
                "2024/seminar:10:3",
            ),
            ReleaseKey::new(&Value::from("form=seminar"), &Value::from(1), true, "2024/seminar:10:2"),
        ] {
            assert_ne!(base, other);
        }
    }
}
