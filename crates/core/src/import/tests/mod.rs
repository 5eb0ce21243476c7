//! Tests of importing: each reader through the import it makes, and the tables a large file
//! becomes.

mod acled;
mod layers;
mod overlay;
mod tables;
mod ucdp;
