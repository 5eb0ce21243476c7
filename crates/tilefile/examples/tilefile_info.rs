//! Prints what `TileArchive::open` says about each file given, or why it cannot open it.
//! `cargo run -p strikemap_tilefile --example tilefile_info -- FILE…`

fn main() {
    for arg in std::env::args_os().skip(1) {
        match strikemap_tilefile::TileArchive::open(std::path::Path::new(&arg)) {
            Ok(archive) => println!("{:#?}", archive.info()),
            Err(error) => println!("error: {error}"),
        }
    }
}
