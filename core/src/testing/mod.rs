//! The checks every generated crate's tests run, written once: its tests pass in the
//! operations, decoders and cases regen generates for its spec version.

pub mod corpus;
pub mod requests;
