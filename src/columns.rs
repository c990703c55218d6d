//! Text columns in Arrow's layout: the entity, label or alias of every match, looked up from
//! its code and written as large-string buffers on all cores. A million-alias scan has millions
//! of rows, and Arrow's own dictionary decoding runs on one core.

use rayon::prelude::*;

/// Rows per parallel piece; a multiple of 8, so each piece owns whole bytes of the validity map.
const ROWS_PER_PIECE: usize = 1 << 14;

/// Values up to this many bytes are copied into the data as one fixed-size block from a
/// zero-padded copy (`TextColumn::padded`): a call to `memmove` per row for a few bytes was a
/// third of the time of a million-alias scan's `to_pandas()`.
const SHORT: usize = 32;

/// `values[code]` for every code, ready to be written as Arrow large-string buffers: offsets
/// (`i64`, one more than rows), UTF-8 data, and a validity bitmap (a missing value is null).
///
/// ```
/// use lexiscan::columns::TextColumn;
/// let values = [Some("Kyiv"), None, Some("NATO")];
/// let column = TextColumn::new(&[2, 0, 1, 2], &values).unwrap();
/// let mut offsets = vec![0; column.offsets_len()];
/// let mut data = vec![0; column.data_len()];
/// let mut valid = vec![0; column.validity_len()];
/// column.write_offsets(&mut offsets);
/// column.write_data(&mut data);
/// column.write_validity(&mut valid);
/// assert_eq!(data, b"NATOKyivNATO");
/// let ends: Vec<i64> = offsets.chunks(8).map(|b| i64::from_le_bytes(b.try_into().unwrap())).collect();
/// assert_eq!(ends, [0, 4, 8, 8, 12]);
/// assert_eq!(valid, [0b1011]);
/// assert!(column.has_nulls());
/// ```
pub struct TextColumn<'a> {
    codes: &'a [u32],
    values: &'a [Option<&'a str>],
    /// Each value of at most `SHORT` bytes, zero-padded to `SHORT` (empty for the others).
    padded: Vec<[u8; SHORT]>,
    /// Where each piece of `ROWS_PER_PIECE` rows starts in the data, and the data's end.
    piece_starts: Vec<usize>,
    has_nulls: bool,
}

impl<'a> TextColumn<'a> {
    /// [`TextColumn::new`] on `pool` (the caller's threads) instead of the current pool.
    pub fn new_on(
        pool: &rayon::ThreadPool,
        codes: &'a [u32],
        values: &'a [Option<&'a str>],
    ) -> Option<Self> {
        pool.install(|| Self::new(codes, values))
    }

    /// None when a code has no value (a result looked up in a table it did not come from).
    pub fn new(codes: &'a [u32], values: &'a [Option<&'a str>]) -> Option<Self> {
        Self::new_many(codes, [values]).map(|[column]| column)
    }

    /// [`TextColumn::new_many`] on `pool` (the caller's threads) instead of the current pool;
    /// rows of one piece here, without handing them to the pool (a wake-up of its threads,
    /// more than reading them takes).
    pub fn new_many_on<const N: usize>(
        pool: &rayon::ThreadPool,
        codes: &'a [u32],
        values: [&'a [Option<&'a str>]; N],
    ) -> Option<[Self; N]> {
        if codes.len() <= ROWS_PER_PIECE {
            return Self::new_many(codes, values);
        }
        pool.install(|| Self::new_many(codes, values))
    }

    /// A column for each table of `values`, all over the same `codes` (the entity, label,
    /// alias and matched text of a scan's forms): the rows are read once for all of them, not
    /// once per column. None when a code has no value in some table.
    ///
    /// ```
    /// use lexiscan::columns::TextColumn;
    /// let names = [Some("Kyiv"), Some("NATO")];
    /// let labels = [Some("GPE"), None];
    /// let [name, label] = TextColumn::new_many(&[1, 0], [&names[..], &labels]).unwrap();
    /// assert_eq!((name.data_len(), label.data_len()), (8, 3));
    /// assert!(label.has_nulls() && !name.has_nulls());
    /// assert!(TextColumn::new_many(&[2], [&names[..], &labels]).is_none());
    /// ```
    pub fn new_many<const N: usize>(
        codes: &'a [u32],
        values: [&'a [Option<&'a str>]; N],
    ) -> Option<[Self; N]> {
        // Every table's length of each code, side by side (one lookup a row); a code past the
        // end of a shorter table has none.
        let forms = values.iter().map(|v| v.len()).max().unwrap_or(0);
        let lens: Vec<Option<[usize; N]>> = (0..forms)
            .map(|code| {
                let mut lens = [0; N];
                for (len, table) in lens.iter_mut().zip(&values) {
                    *len = table.get(code)?.map_or(0, str::len);
                }
                Some(lens)
            })
            .collect();
        let piece_sums = |piece: &[u32]| {
            let mut sums = [0; N];
            for &code in piece {
                let lens = (*lens.get(code as usize)?)?;
                for (sum, len) in sums.iter_mut().zip(lens) {
                    *sum += len;
                }
            }
            Some(sums)
        };
        // One piece is read here: no parallel iterator, so none reaches for a pool.
        let piece_lens: Vec<Option<[usize; N]>> = if codes.len() <= ROWS_PER_PIECE {
            codes.chunks(ROWS_PER_PIECE).map(piece_sums).collect()
        } else {
            codes.par_chunks(ROWS_PER_PIECE).map(piece_sums).collect()
        };
        let mut piece_starts: [Vec<usize>; N] =
            std::array::from_fn(|_| Vec::with_capacity(piece_lens.len() + 1));
        let mut ends = [0; N];
        for starts in &mut piece_starts {
            starts.push(0);
        }
        for sums in piece_lens {
            for ((starts, end), len) in piece_starts.iter_mut().zip(&mut ends).zip(sums?) {
                *end += len;
                starts.push(*end);
            }
        }
        let mut piece_starts = piece_starts.into_iter();
        Some(values.map(|values| {
            let piece_starts = piece_starts.next().expect("a list of starts per column");
            Self::with_starts(codes, values, piece_starts)
        }))
    }

    /// The column of `codes` in `values`, its pieces starting in the data at `piece_starts`.
    fn with_starts(
        codes: &'a [u32],
        values: &'a [Option<&'a str>],
        piece_starts: Vec<usize>,
    ) -> Self {
        // Only a table with a missing value can give a null (few do: labels): rows are read
        // for it a piece at a time, never a row at a time through rayon.
        let missing = |piece: &[u32]| piece.iter().any(|&c| values[c as usize].is_none());
        let has_nulls = values.iter().any(Option::is_none)
            && if codes.len() <= ROWS_PER_PIECE {
                missing(codes)
            } else {
                codes.par_chunks(ROWS_PER_PIECE).any(missing)
            };
        let padded = values
            .iter()
            .map(|value| {
                let mut block = [0; SHORT];
                if let Some(text) = value.filter(|t| t.len() <= SHORT) {
                    block[..text.len()].copy_from_slice(text.as_bytes());
                }
                block
            })
            .collect();
        Self {
            codes,
            values,
            padded,
            piece_starts,
            has_nulls,
        }
    }

    /// Bytes of the offsets buffer: 8 per row, plus 8.
    pub fn offsets_len(&self) -> usize {
        (self.codes.len() + 1) * 8
    }

    /// Bytes of the UTF-8 data.
    pub fn data_len(&self) -> usize {
        *self.piece_starts.last().expect("starts has the end")
    }

    /// Bytes of the validity bitmap: a bit per row.
    pub fn validity_len(&self) -> usize {
        self.codes.len().div_ceil(8)
    }

    /// Whether some row's value is missing (then the validity bitmap is needed).
    pub fn has_nulls(&self) -> bool {
        self.has_nulls
    }

    fn text(&self, code: u32) -> &'a str {
        self.values[code as usize].unwrap_or("")
    }

    /// Little-endian `i64` offsets into `out` (`offsets_len()` bytes).
    pub fn write_offsets(&self, out: &mut [u8]) {
        let (first, rest) = out.split_at_mut(8);
        first.copy_from_slice(&0i64.to_le_bytes());
        rest.par_chunks_mut(ROWS_PER_PIECE * 8)
            .zip(self.codes.par_chunks(ROWS_PER_PIECE))
            .zip(&self.piece_starts)
            .for_each(|((out, codes), &start)| {
                let mut end = start;
                for (slot, &code) in out.chunks_exact_mut(8).zip(codes) {
                    end += self.text(code).len();
                    slot.copy_from_slice(&(end as i64).to_le_bytes());
                }
            });
    }

    /// The values back to back into `out` (`data_len()` bytes).
    pub fn write_data(&self, out: &mut [u8]) {
        let mut pieces = Vec::with_capacity(self.piece_starts.len());
        let mut rest = out;
        for bounds in self.piece_starts.windows(2) {
            let (piece, tail) = rest.split_at_mut(bounds[1] - bounds[0]);
            pieces.push(piece);
            rest = tail;
        }
        pieces
            .into_par_iter()
            .zip(self.codes.par_chunks(ROWS_PER_PIECE))
            .for_each(|(out, codes)| {
                let mut at = 0;
                for &code in codes {
                    let text = self.text(code).as_bytes();
                    match out.get_mut(at..at + SHORT) {
                        // The bytes past the value are written over by the rows after it;
                        // the last rows of the piece, with no room for a block, copy exactly.
                        Some(block) if text.len() <= SHORT => {
                            block.copy_from_slice(&self.padded[code as usize]);
                        }
                        _ => out[at..at + text.len()].copy_from_slice(text),
                    }
                    at += text.len();
                }
            });
    }

    /// A bit per row into `out` (`validity_len()` bytes), least significant first: 1 = present.
    pub fn write_validity(&self, out: &mut [u8]) {
        out.par_chunks_mut(ROWS_PER_PIECE / 8)
            .zip(self.codes.par_chunks(ROWS_PER_PIECE))
            .for_each(|(out, codes)| {
                for (byte, codes) in out.iter_mut().zip(codes.chunks(8)) {
                    *byte = codes
                        .iter()
                        .enumerate()
                        .filter(|&(_, &c)| self.values[c as usize].is_some())
                        .fold(0, |bits, (i, _)| bits | (1 << i));
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffers, read back row by row, against a plain lookup, across piece boundaries.
    #[test]
    fn buffers_read_back_as_the_looked_up_values() {
        let values = [
            Some("a"),
            None,
            Some("ééé"),
            Some(""),
            Some("NATO Secretary General"),
            Some("a value longer than the thirty-two bytes of a block"),
        ];
        for n in [
            0,
            1,
            7,
            8,
            9,
            ROWS_PER_PIECE - 1,
            ROWS_PER_PIECE,
            3 * ROWS_PER_PIECE + 5,
        ] {
            let codes: Vec<u32> = (0..n)
                .map(|i| ((i * 7 + i / 3) % values.len()) as u32)
                .collect();
            let column = TextColumn::new(&codes, &values).unwrap();
            let (offsets, data, valid) = buffers(&column);
            let offsets: Vec<usize> = offsets
                .chunks_exact(8)
                .map(|b| i64::from_le_bytes(b.try_into().unwrap()) as usize)
                .collect();
            assert_eq!(offsets[0], 0);
            for (row, &code) in codes.iter().enumerate() {
                let expected = values[code as usize];
                let text = std::str::from_utf8(&data[offsets[row]..offsets[row + 1]]).unwrap();
                assert_eq!(text, expected.unwrap_or(""), "row {row} of {n}");
                let present = valid[row / 8] >> (row % 8) & 1 == 1;
                assert_eq!(present, expected.is_some(), "row {row} of {n}");
            }
            assert_eq!(offsets[n], data.len());
            assert_eq!(column.has_nulls(), codes.contains(&1));
        }
    }

    /// The buffers of a column, as `write_*` give them.
    fn buffers(column: &TextColumn) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let mut offsets = vec![0xAA; column.offsets_len()];
        let mut data = vec![0xAA; column.data_len()];
        let mut valid = vec![0xAA; column.validity_len()];
        column.write_offsets(&mut offsets);
        column.write_data(&mut data);
        column.write_validity(&mut valid);
        (offsets, data, valid)
    }

    /// Columns built together give the buffers each gives built alone, nulls included.
    #[test]
    fn columns_built_together_equal_columns_built_alone() {
        let names = [
            Some("Kyiv"),
            Some("NATO"),
            Some("ééé"),
            Some("a name of forty-one bytes, past a block"),
        ];
        let labels = [Some("GPE"), None, Some(""), Some("ORG")];
        let texts = [Some("kiev"), Some("Nato"), Some("ÉÉÉ"), Some("x")];
        for n in [0, 1, 9, ROWS_PER_PIECE, 2 * ROWS_PER_PIECE + 3] {
            let codes: Vec<u32> = (0..n).map(|i| ((i * 5 + i / 7) % 4) as u32).collect();
            let together = TextColumn::new_many(&codes, [&names[..], &labels, &texts]).unwrap();
            for (column, table) in together.iter().zip([&names[..], &labels, &texts]) {
                let alone = TextColumn::new(&codes, table).unwrap();
                assert_eq!(buffers(column), buffers(&alone), "{n} rows");
                assert_eq!(column.has_nulls(), alone.has_nulls(), "{n} rows");
            }
            assert_eq!(together[1].has_nulls(), codes.contains(&1));
        }
        // A code past the end of one table is refused, as by that table alone.
        assert!(TextColumn::new_many(&[3], [&names[..], &labels[..3]]).is_none());
    }

    #[test]
    fn a_code_without_a_value_is_refused() {
        assert!(TextColumn::new(&[0, 2], &[Some("a"), Some("b")]).is_none());
        assert!(TextColumn::new(&[], &[]).is_some());
    }
}
