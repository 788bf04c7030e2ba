//! A refused form shows its errors where they belong: each next to its field (linked by
//! `aria-describedby`, marked `aria-invalid`) and all in a summary at the top whose links lead to
//! the fields (the GOV.UK error-summary pattern), in Thai. The page keeps every typed value.

/// One field's error: `field` is the input's `id` (the summary links to `#field`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The errors of one submitted form, in the order of the form's fields as they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors {
    errors: Vec<FieldError>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A form refused with one error on one field.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Adds an error (each is one line of the summary; the same message twice is kept once).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let error = FieldError { field: field.to_string(), message: message.into() };
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }

    /// Adds every error of `other`.
    pub fn extend(&mut self, other: FieldErrors) {
        for e in other.errors {
            self.add(&e.field, e.message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.errors.iter()
    }

    /// The field's messages in one line, if it has any.
    pub fn get(&self, field: impl AsRef<str>) -> Option<String> {
        let field = field.as_ref();
        let messages: Vec<&str> = self.errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect();
        (!messages.is_empty()).then(|| messages.join(" · "))
    }

    /// Whether the field has an error (templates mark the input with it).
    pub fn has(&self, field: impl AsRef<str>) -> bool {
        let field = field.as_ref();
        self.errors.iter().any(|e| e.field == field)
    }

    /// Every message in one line, for logs and tests.
    pub fn joined(&self) -> String {
        self.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_one_field_show_together_beside_it_and_in_order_in_the_summary() {
        let mut errors = FieldErrors::new();
        errors.add("start", "ก");
        errors.add("due", "ข");
        errors.add("start", "ค");
        errors.add("start", "ค");
        assert_eq!(errors.get("start").as_deref(), Some("ก · ค"));
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["start", "due", "start"]);
        assert!(errors.has("due") && !errors.has("purpose"));
    }
}
