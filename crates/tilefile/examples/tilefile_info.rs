//! Prints what `TileArchive::open` says about each file given, or why it cannot open it; with
//! `--read-tile`, also reads the tile at the file's lowest zoom, at 0/0 (as
//! `scripts/bench-hostile.sh` does to time a gzip bomb's refusal).
//! `cargo run -p strikemap_tilefile --example tilefile_info -- [--read-tile] FILE…`

fn main() {
    let mut read_tile = false;
    for arg in std::env::args_os().skip(1) {
        if arg == "--read-tile" {
            read_tile = true;
            continue;
        }
        match strikemap_tilefile::TileArchive::open(std::path::Path::new(&arg)) {
            Ok(archive) if read_tile => match archive.read_tile(archive.info().min_zoom, 0, 0) {
                Ok(tile) => println!("tile: {} bytes", tile.map_or(0, |t| t.len())),
                Err(error) => println!("error: {error}"),
            },
            Ok(archive) => println!("{:#?}", archive.info()),
            Err(error) => println!("error: {error}"),
        }
    }
}
