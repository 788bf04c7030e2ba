//! The bundled voice clips (assets/audio/queue/, made by scripts/make-queue-voice.sh), embedded in
//! the binary and served at `/static/audio/queue/NAME.mp3` for boards without a Thai voice.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::http::AppError;

macro_rules! clips {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/audio/queue/", $name, ".mp3")))),*]
    };
}

/// Every clip by name (as [`super::voice::Word::clip`] names them).
const CLIPS: &[(&str, &[u8])] = clips!(
    "number",
    "invite",
    "ten",
    "twenty",
    "one-after-ten",
    "digit-0",
    "digit-1",
    "digit-2",
    "digit-3",
    "digit-4",
    "digit-5",
    "digit-6",
    "digit-7",
    "digit-8",
    "digit-9",
    "latin-a",
    "latin-b",
    "latin-c",
    "latin-d",
    "latin-e",
    "latin-f",
    "latin-g",
    "latin-h",
    "latin-i",
    "latin-j",
    "latin-k",
    "latin-l",
    "latin-m",
    "latin-n",
    "latin-o",
    "latin-p",
    "latin-q",
    "latin-r",
    "latin-s",
    "latin-t",
    "latin-u",
    "latin-v",
    "latin-w",
    "latin-x",
    "latin-y",
    "latin-z",
    "thai-01",
    "thai-02",
    "thai-03",
    "thai-04",
    "thai-05",
    "thai-06",
    "thai-07",
    "thai-08",
    "thai-09",
    "thai-10",
    "thai-11",
    "thai-12",
    "thai-13",
    "thai-14",
    "thai-15",
    "thai-16",
    "thai-17",
    "thai-18",
    "thai-19",
    "thai-20",
    "thai-21",
    "thai-22",
    "thai-23",
    "thai-24",
    "thai-25",
    "thai-26",
    "thai-27",
    "thai-28",
    "thai-29",
    "thai-30",
    "thai-31",
    "thai-32",
    "thai-33",
    "thai-34",
    "thai-35",
    "thai-36",
    "thai-37",
    "thai-38",
    "thai-39",
    "thai-40",
    "thai-41",
    "thai-42",
    "thai-43",
    "thai-44"
);

/// The clip called `name` (without `.mp3`).
pub fn clip(name: &str) -> Option<&'static [u8]> {
    CLIPS.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes)
}

/// `GET /static/audio/queue/{file}`: a clip, kept by browsers for a week.
pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let bytes = file.strip_suffix(".mp3").and_then(clip).ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "audio/mpeg"), (header::CACHE_CONTROL, "public, max-age=604800")], bytes)
        .into_response())
}
