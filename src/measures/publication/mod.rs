//! The report's life: the year's register is the draft; an executive approves it as it stands and
//! publishing freezes a numbered version whose files are rendered once (issue 12).

pub mod publish;
pub mod routes;
pub mod rules;
pub mod store;
