//! Prongsai (โปร่งใส): the integrity and transparency work of a Thai local government
//! organization, and its public proof.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod cli;
pub mod complaints;
pub mod config;
pub mod council;
pub mod db;
pub mod demo;
pub mod docs;
pub mod documents;
pub mod http;
pub mod ita;
pub mod lending;
pub mod mail;
pub mod measures;
pub mod news;
pub mod oit;
pub mod ops;
pub mod orgs;
pub mod participation;
pub mod populate;
pub mod portal;
pub mod province;
pub mod publishing;
pub mod queue;
pub mod services;
#[cfg(test)]
mod source_files;
pub mod survey;
pub mod text;
pub mod thai;
