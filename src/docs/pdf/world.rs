//! The typst `World` of one render: the engine's library and fonts plus this request's files.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

/// Makes the id of a file at the project root, e.g. `main.typ` or `data.json`.
pub(super) fn file_id(path: &str) -> anyhow::Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow::anyhow!("invalid virtual file name {path:?}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// One compilation: borrows the long-lived parts, owns the request's template and files.
pub(super) struct Job<'a> {
    pub library: &'a LazyHash<Library>,
    pub book: &'a LazyHash<FontBook>,
    pub fonts: &'a [Font],
    pub main: Source,
    pub files: HashMap<FileId, Bytes>,
    pub today: Option<Datetime>,
}

impl World for Job<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        // Other `.typ` files passed as extra files can be imported.
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_owned()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
