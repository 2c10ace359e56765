//! The one fact that writing and reading JSON strings share: which bytes a string's text
//! carries as they are. The request body's writer copies such a run between quotes; the
//! response reader borrows it from the body. Both find its end here, eight bytes at a time.

/// The length of `text`'s leading run of bytes that JSON carries in a string as they are:
/// up to the first control character (below 0x20), quote or backslash, or all of `text`.
pub(crate) fn plain_run(text: &[u8]) -> usize {
    let mut words = text.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let stops = stops(u64::from_le_bytes(bytes));
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = words.remainder();
    if rest.is_empty() {
        return at;
    }
    let Some(last) = text.len().checked_sub(8) else {
        // Shorter than a word: byte by byte.
        return rest
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .unwrap_or(rest.len());
    };
    // The last eight bytes as one word: those before `at` were read already, and none of
    // them is a stop, so the lowest flag is the first stop among the rest.
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&text[last..]);
    match stops(u64::from_le_bytes(bytes)) {
        0 => text.len(),
        stops => last + (stops.trailing_zeros() / 8) as usize,
    }
}

/// The high bit of each byte of `word` (eight bytes of text, the first the lowest) that is
/// a stop: a control character, a quote or a backslash. Only the lowest flag is exact (a
/// borrow runs upwards, and may flag a byte above a stop), and only the lowest is read.
fn stops(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let zeros = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    // A byte below 0x20 (exact, as 0x20 <= 0x80), a quote (0x22), a backslash (0x5C).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control | zeros(word ^ (ONES * 0x22)) | zeros(word ^ (ONES * 0x5C))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run as a byte-at-a-time scan finds it.
    fn scanned(text: &[u8]) -> usize {
        text.iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .unwrap_or(text.len())
    }

    #[test]
    fn stops_where_a_scan_stops_at_every_offset() {
        let stops = [b'"', b'\\', 0x00, 0x1F, b'\n'];
        let goes = [b' ', b'!', b'#', b'[', b']', 0x7F, 0x80, 0xFF, 0x21, 0x5D];
        for length in 0..40 {
            let plain: Vec<u8> = (0..length).map(|i| goes[i % goes.len()]).collect();
            assert_eq!(plain_run(&plain), length, "{plain:?}");
            for at in 0..length {
                for stop in stops {
                    let mut text = plain.clone();
                    text[at] = stop;
                    // A second stop after the first, in the same word, must not move it.
                    if at + 1 < length {
                        text[at + 1] = b'"';
                    }
                    assert_eq!(plain_run(&text), scanned(&text), "{text:?}");
                    assert_eq!(plain_run(&text), at, "{text:?}");
                }
            }
        }
        // A byte that borrows in the word's arithmetic (0x00 before 0x01, 0x20 before 0x21)
        // is the stop, not the byte after it.
        assert_eq!(plain_run(b"abc\x00\x01defgh"), 3);
        assert_eq!(plain_run(b"abcdefg\x1f"), 7);
        assert_eq!(plain_run("é中\u{1F600}x\"".as_bytes()), 10);
    }
}
