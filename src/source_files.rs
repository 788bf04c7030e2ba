//! For tests that read the crate's own sources or templates (every audit code has a Thai word,
//! every textarea is a multi-line field): each file under a folder of the crate, with its text.

use std::path::PathBuf;

/// Every file under `folder` (relative to the crate root), recursively, with its text.
pub(crate) fn under(folder: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(folder)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).expect("a folder of the crate") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("a text file");
                files.push((path, text));
            }
        }
    }
    files
}
