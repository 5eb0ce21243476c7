//! The split parse against one front-to-back parse, on generated CSV with quoted line breaks,
//! doubled quotes, CRLF, blank lines, short rows and bytes that are not UTF-8.

use super::*;

/// A small deterministic generator (xorshift), so that failures repeat.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

fn field(dice: &mut Dice, out: &mut Vec<u8>) {
    let piece: &[u8] = match dice.roll(14) {
        0 => b"",
        1 => b"NA",
        2 => b"\"with, comma\"",
        3 => b"\"two\nlines\"",
        4 => b"\"crlf\r\ninside\"",
        5 => b"\"said \"\"no\"\"\"",
        6 => b"mid\"quote",
        7 => b"\"closed\"then",
        8 => b"\"\n\n\"",
        9 => b"\"a\n\"\"\n,b\"",
        10 => b"26.96",
        11 => b"\xc3\xa9t\xc3\xa9",
        _ => b"Panjgur",
    };
    out.extend_from_slice(piece);
}

fn generated(seed: u64, rows: usize, with_bad_utf8: bool) -> Vec<u8> {
    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = b"a,b,c,d\n".to_vec();
    for _ in 0..rows {
        let fields = match dice.roll(8) {
            0 => 2,
            1 => 5,
            _ => 4,
        };
        for index in 0..fields {
            if index > 0 {
                out.push(b',');
            }
            field(&mut dice, &mut out);
        }
        if with_bad_utf8 && dice.roll(60) == 0 {
            out.extend_from_slice(b"\xff");
        }
        out.extend_from_slice(match dice.roll(10) {
            0 => b"\r\n".as_slice(),
            1 => b"\n\n",
            2 => b"\r\n\r\n\n",
            3 => b"\r",
            _ => b"\n",
        });
    }
    if dice.roll(3) == 0 {
        out.extend_from_slice(b"x,\"open to the end\nstill");
    }
    out
}

#[test]
fn split_parses_equal_the_front_to_back_parse_at_every_chunk_size() {
    for seed in 0..60 {
        let bytes = generated(seed, 40, seed % 4 == 3);
        let expected = front_to_back(&bytes).map_err(|error| error.to_string());

        for chunk_bytes in [1, 2, 3, 5, 8, 13, 21, 34, 64, 100, 250, 1000, 1 << 20] {
            assert_eq!(
                split(&bytes, chunk_bytes, false).map_err(|error| error.to_string()),
                expected,
                "seed {seed}, chunks of {chunk_bytes}: {:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}

#[test]
fn without_the_check_a_chunk_starting_in_a_quoted_field_gives_other_rows() {
    let differing = (0..60).any(|seed| {
        let bytes = generated(seed, 40, false);
        let expected = front_to_back(&bytes).map_err(|error| error.to_string());
        [3, 8, 21, 64]
            .iter()
            .any(|&chunk| split(&bytes, chunk, true).map_err(|error| error.to_string()) != expected)
    });
    assert!(
        differing,
        "the generated files have quoted line breaks at chunk starts"
    );
}

#[test]
fn cut_points_fall_just_after_line_breaks_and_cover_the_text() {
    let bytes = b"ab\ncd\n\nefg";
    let cuts = cut_points(bytes, 2);
    assert_eq!(cuts, [3, 6, 10]);
}
