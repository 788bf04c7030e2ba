//! Where each value of a JSON text starts (line and column, from 1), by its path
//! (`services/1/steps/0/who`): serde reads the file, this names the line of what it found wrong.
//! Runs only on a refused file.

/// Every value's path and position, in the order of the text. Stops quietly at a syntax error
/// (serde reports that one with its own position).
pub fn positions(text: &str) -> Vec<(String, usize, usize)> {
    let mut scan = Scanner { chars: text.chars().collect(), at: 0, line: 1, column: 1, out: Vec::new() };
    scan.value(String::new());
    scan.out
}

/// The line of the value at `path`, or of its nearest enclosing value that is in the file.
pub fn line_of(positions: &[(String, usize, usize)], path: &str) -> usize {
    let mut path = path.to_string();
    loop {
        if let Some((_, line, _)) = positions.iter().find(|(p, _, _)| *p == path) {
            return *line;
        }
        match path.rsplit_once('/') {
            Some((parent, _)) => path = parent.to_string(),
            None => return positions.first().map_or(1, |p| p.1),
        }
    }
}

/// The path of the last value starting at or before (`line`, `column`).
pub fn path_at(positions: &[(String, usize, usize)], line: usize, column: usize) -> Option<&str> {
    positions.iter().rev().find(|(_, l, c)| (*l, *c) <= (line, column)).map(|(p, _, _)| p.as_str())
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
    out: Vec<(String, usize, usize)>,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn join(path: &str, key: &str) -> String {
        if path.is_empty() { key.to_string() } else { format!("{path}/{key}") }
    }

    /// Reads one value; false at a syntax error.
    fn value(&mut self, path: String) -> bool {
        self.blank();
        self.out.push((path.clone(), self.line, self.column));
        match self.peek() {
            Some('{') => {
                self.bump();
                loop {
                    self.blank();
                    match self.peek() {
                        Some('}') => {
                            self.bump();
                            return true;
                        }
                        Some('"') => {
                            let Some(key) = self.string() else { return false };
                            self.blank();
                            if self.bump() != Some(':') || !self.value(Self::join(&path, &key)) {
                                return false;
                            }
                            self.blank();
                            if self.peek() == Some(',') {
                                self.bump();
                            }
                        }
                        _ => return false,
                    }
                }
            }
            Some('[') => {
                self.bump();
                let mut i = 0;
                loop {
                    self.blank();
                    if self.peek() == Some(']') {
                        self.bump();
                        return true;
                    }
                    if !self.value(Self::join(&path, &i.to_string())) {
                        return false;
                    }
                    i += 1;
                    self.blank();
                    if self.peek() == Some(',') {
                        self.bump();
                    }
                }
            }
            Some('"') => self.string().is_some(),
            Some(_) => {
                while self.peek().is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace()) {
                    self.bump();
                }
                true
            }
            None => false,
        }
    }

    fn string(&mut self) -> Option<String> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(s),
                '\\' => {
                    s.push(self.bump()?);
                }
                c => s.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_is_found_by_its_path_and_line() {
        let text = "{\n  \"services\": [\n    {\n      \"name\": \"ก\",\n      \"steps\": [\n        { \"who\": \"\" }\n      ]\n    }\n  ]\n}";
        let p = positions(text);
        assert_eq!(line_of(&p, "services/0/name"), 4);
        assert_eq!(line_of(&p, "services/0/steps/0/who"), 6);
        assert_eq!(line_of(&p, "services/0/place"), 3, "a missing field: the line of its service");
        assert_eq!(path_at(&p, 6, 30), Some("services/0/steps/0/who"));
    }
}
