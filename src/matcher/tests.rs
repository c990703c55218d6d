use super::*;

fn lexicon(entries: &[(&str, &[&str], bool)]) -> Lexicon {
    let mut lex = Lexicon::new();
    for &(entity, aliases, sensitive) in entries {
        lex.add(entity, aliases, Some("L"), sensitive).unwrap();
    }
    lex
}

/// (surface, entity name) of each match, for readable assertions.
fn surfaces(m: &Matcher, text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    m.find(text)
        .unwrap()
        .iter()
        .map(|x| {
            let surface: String = chars[x.start..x.end].iter().collect();
            (
                surface,
                m.lexicon().entities()[x.entity as usize].name.clone(),
            )
        })
        .collect()
}

fn texts(m: &Matcher, text: &str) -> Vec<String> {
    surfaces(m, text).into_iter().map(|(s, _)| s).collect()
}

#[test]
fn whole_words_and_typography() {
    let m = Matcher::new(
        lexicon(&[
            ("Russia", &[], false),
            ("United States", &["U.S."], false),
            ("Alexander Fomin", &[], false),
            ("NATO Secretary General", &[], false),
        ]),
        MatchOptions::default(),
    )
    .unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("Russian Russians", &[]),
        (
            "Russia’s (Russia) NATO-Russia",
            &["Russia", "Russia", "Russia"],
        ),
        ("the U.S., and the U.S.", &["U.S.", "U.S."]),
        ("Alexander\nFomin said", &["Alexander\nFomin"]),
        ("NATO Secretary-General", &["NATO Secretary-General"]),
        ("RUSSIA and ÉMILE", &["RUSSIA"]),
    ];
    for &(text, want) in cases {
        assert_eq!(texts(&m, text), want, "in {text:?}");
    }
}

#[test]
fn unicode_case_and_accents() {
    let lex = lexicon(&[
        ("Émile", &[], false),
        ("Straße", &[], false),
        ("Москва", &[], false),
        ("Οδυσσεύς", &[], false),
        ("détente", &[], false),
    ]);
    let fold = Matcher::new(lex.clone(), MatchOptions::default()).unwrap();
    let text = "EMILE émile STRASSE straße МОСКВА ΟΔΥΣΣΕΥΣ detente DÉTENTE";
    assert_eq!(texts(&fold, text).len(), 8);
    let keep = Matcher::new(
        lex,
        MatchOptions {
            accents: AccentMode::Keep,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        texts(&keep, text),
        ["émile", "STRASSE", "straße", "МОСКВА", "DÉTENTE"]
    );
}

#[test]
fn case_sensitive_aliases_only_match_their_capitals() {
    let m = Matcher::new(lexicon(&[("US", &[], true)]), MatchOptions::default()).unwrap();
    assert_eq!(texts(&m, "let us see the US and Us"), ["US"]);
}

#[test]
fn a_longer_invalid_candidate_does_not_hide_a_shorter_valid_one() {
    let m = Matcher::new(
        lexicon(&[("New York", &[], false), ("New York Times", &[], false)]),
        MatchOptions::default(),
    )
    .unwrap();
    assert_eq!(texts(&m, "New York Timesless"), ["New York"]);
    assert_eq!(texts(&m, "New York Times."), ["New York Times"]);
}

#[test]
fn overlapping_reports_nested_matches() {
    let lex = lexicon(&[("NATO", &[], false), ("NATO-Russia Council", &[], false)]);
    let text = "the NATO–Russia Council met";
    let flat = Matcher::new(lex.clone(), MatchOptions::default()).unwrap();
    assert_eq!(texts(&flat, text), ["NATO–Russia Council"]);
    let nested = Matcher::new(
        lex,
        MatchOptions {
            overlapping: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(texts(&nested, text), ["NATO–Russia Council", "NATO"]);
}

#[test]
fn ambiguous_alias_gives_a_row_per_entity() {
    let mut lex = Lexicon::new();
    lex.add("George Washington", &["Washington"], Some("PERSON"), false)
        .unwrap();
    lex.add("Washington", &[] as &[&str], Some("GPE"), false)
        .unwrap();
    let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    let found = m.find("Washington said").unwrap();
    assert_eq!(found.iter().map(|x| x.entity).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn offsets_are_code_points() {
    let m = Matcher::new(lexicon(&[("Kyiv", &[], false)]), MatchOptions::default()).unwrap();
    let text = "😀 Ünïcödé — Kyiv";
    let found = m.find(text).unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[found[0].start..found[0].end]
            .iter()
            .collect::<String>(),
        "Kyiv"
    );
}

#[test]
fn refuses_aliases_empty_after_folding() {
    let lex = lexicon(&[("x", &["\u{301}"], false)]);
    let err = Matcher::new(lex, MatchOptions::default()).unwrap_err();
    assert!(matches!(err, Error::EmptyAlias { .. }));
}

#[test]
fn prefix_entries_take_the_rest_of_the_word() {
    let lex = lexicon(&[("invasion", &["invad*", "M*A*S*H"], false)]);
    let m = Matcher::new(lex.clone(), MatchOptions::default()).unwrap();
    assert_eq!(
        texts(&m, "Invading, invaded; reinvade INVAD M*A*S*H"),
        ["Invading", "invaded", "INVAD", "M*A*S*H"]
    );
    let loose = Matcher::new(
        lex,
        MatchOptions {
            whole_words: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(texts(&loose, "reinvaders"), ["invaders"]);
}

/// A tiny deterministic generator, so the differential tests need no dependency.
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }

    fn text(&mut self, pieces: &[&str], max: usize) -> String {
        (0..self.below(max) + 1)
            .map(|_| pieces[self.below(pieces.len())])
            .collect()
    }
}

/// Every search strategy gives the same matches: walks from word starts, the unanchored DFA
/// over pieces in lockstep (`Unanchored` forces it; in tests even a one-byte piece gets a
/// stream, so the cuts at `,` `;` `!` are exercised), `Auto` (for these small lexicons mostly
/// the same DFA with the crate's prefilter, one stream) and the crate's own `AhoCorasick`
/// search over the whole text.
#[test]
fn word_start_walks_agree_with_the_unanchored_search() {
    // Letters that fold together, separators that fold or glue, prefix stars, odd first chars.
    let alias_pieces = [
        "a", "b", "ab", "É", "e", "ss", "ß", " ", "-", "'", "(", ".", "7", "Ж", "ж",
    ];
    let text_pieces = [
        "a", "b", "A", "É", "é", "e", "ss", "ß", " ", "  ", "\n", "-", "–", "’", "'", "(", ".",
        "7", "Ж", "x", "😀", "\u{0301}", ",", "; ", "!",
    ];
    let mut rng = Lcg(7);
    for case in 0..3000 {
        let mut lex = Lexicon::new();
        for i in 0..rng.below(6) + 1 {
            let mut alias = rng.text(&alias_pieces, 4);
            if rng.below(5) == 0 {
                alias.push('*');
            }
            let sensitive = rng.below(4) == 0;
            // Aliases that fold to nothing are refused by the lexicon; skip them.
            let _ = lex.add(&format!("E{i}"), &[alias.as_str()], None, sensitive);
        }
        if lex.aliases().is_empty() {
            continue;
        }
        let lex = Arc::new(lex);
        for accents in [AccentMode::Fold, AccentMode::Keep] {
            for case_mode in [CaseMode::Insensitive, CaseMode::Sensitive] {
                let options = MatchOptions {
                    case: case_mode,
                    accents,
                    whole_words: rng.below(4) != 0,
                    ..MatchOptions::default()
                };
                let Ok(reference) =
                    Matcher::with_search(lex.clone(), options, SearchChoice::OneStream)
                else {
                    continue;
                };
                let others = [
                    SearchChoice::Auto,
                    SearchChoice::Walks,
                    SearchChoice::Unanchored,
                    SearchChoice::WordStartTable,
                ]
                .map(|choice| Matcher::with_search(lex.clone(), options, choice).unwrap());
                // Texts one at a time, and together (the lockstep streams then take pieces of
                // several texts).
                let batch: Vec<String> = (0..5).map(|_| rng.text(&text_pieces, 24)).collect();
                let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
                let expected: Vec<Vec<Match>> =
                    batch.iter().map(|t| reference.find(t).unwrap()).collect();
                for other in &others {
                    for (text, expected) in batch.iter().zip(&expected) {
                        assert_eq!(
                            &other.find(text).unwrap(),
                            expected,
                            "case {case}: {text:?} with {:?} {options:?}",
                            lex.aliases()
                        );
                    }
                    assert_eq!(
                        other.find_many(&batch).unwrap(),
                        expected,
                        "case {case}: {batch:?} together with {:?} {options:?}",
                        lex.aliases()
                    );
                }
            }
        }
    }
}

#[test]
fn pieces_and_streams_give_the_same_matches_as_the_whole_text() {
    let alias_pieces = ["a", "b", "É", "ss", " ", "-", ".", "7", "Ж"];
    let text_pieces = [
        "a", "b", "A", "É", "é", "ss", "ß", " ", "\n", "-", "’", ".", ",", ";", "!", "?", "7", "Ж",
        "😀", "\u{0301}", "(", ")", "'", "O'", "l'", "\n\n", "—",
    ];
    let mut rng = Lcg(11);
    for case in 0..2000 {
        let mut lex = Lexicon::new();
        for i in 0..rng.below(5) + 1 {
            let mut alias = rng.text(&alias_pieces, 4);
            if rng.below(5) == 0 {
                alias.push('*');
            }
            let _ = lex.add(&format!("E{i}"), &[alias.as_str()], None, rng.below(4) == 0);
        }
        let whole_words = rng.below(3) != 0;
        let overlapping = rng.below(4) == 0;
        let options = MatchOptions {
            whole_words,
            overlapping,
            ..MatchOptions::default()
        };
        let Ok(m) = Matcher::new(lex, options) else {
            continue;
        };
        for _ in 0..5 {
            let text = rng.text(&text_pieces, 40);
            let piece_bytes = rng.below(8) + 1;
            let whole = m.find(&text).unwrap();
            assert_eq!(
                whole,
                m.find_in_pieces(&text, piece_bytes).unwrap(),
                "case {case}: {text:?} in pieces of {piece_bytes} with {:?} {options:?}",
                m.lexicon().aliases()
            );
            let part_bytes = rng.below(8) + 1;
            assert_eq!(
                whole,
                m.find_in_parts(&text, part_bytes).unwrap(),
                "case {case}: {text:?} in parts of {part_bytes} with {:?} {options:?}",
                m.lexicon().aliases()
            );
            let (read_chars, most_chars) = (rng.below(6) + 1, rng.below(4) + 1);
            let read_ahead = rng.below(2) == 0;
            assert_eq!(
                whole,
                m.find_in_stream(&text, read_chars, most_chars, read_ahead)
                    .unwrap(),
                "case {case}: {text:?} read {read_chars} characters at a time ({most_chars} a \
                 read, read ahead: {read_ahead}) with {:?} {options:?}",
                m.lexicon().aliases()
            );
        }
    }
}

/// The lockstep search finds the same matches with any number of streams, over texts long
/// enough for whole blocks (up to four streams read words of eight bytes, more copy sixteen
/// bytes of each piece to the stack; both end early at a special state).
#[test]
fn every_number_of_streams_finds_the_same_matches() {
    use super::lockstep::{FORCED_WIDTH, MAX_STREAMS};
    let alias_pieces = ["a", "b", "ab", "É", "e", " ", "-", "7", "Ж"];
    let text_pieces = [
        "a", "b", "A", "É", "e", " ", "  ", "\n", "-", "’", "7", "Ж", "x", ",", "; ",
    ];
    let mut rng = Lcg(23);
    for case in 0..200 {
        let mut lex = Lexicon::new();
        for i in 0..rng.below(6) + 1 {
            let alias = rng.text(&alias_pieces, 4);
            let _ = lex.add(&format!("E{i}"), &[alias.as_str()], None, false);
        }
        if lex.aliases().is_empty() {
            continue;
        }
        let lex = Arc::new(lex);
        let options = MatchOptions {
            whole_words: rng.below(4) != 0,
            ..MatchOptions::default()
        };
        let reference =
            Matcher::with_search(lex.clone(), options, SearchChoice::OneStream).unwrap();
        let batch: Vec<String> = (0..rng.below(6) + 1)
            .map(|_| rng.text(&text_pieces, 300))
            .collect();
        let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
        let expected: Vec<Vec<Match>> = batch.iter().map(|t| reference.find(t).unwrap()).collect();
        for choice in [SearchChoice::Unanchored, SearchChoice::WordStartTable] {
            let m = Matcher::with_search(lex.clone(), options, choice).unwrap();
            for width in 1..=MAX_STREAMS {
                FORCED_WIDTH.set(Some(width));
                let found = m.find_many(&batch);
                FORCED_WIDTH.set(None);
                assert_eq!(
                    found.unwrap(),
                    expected,
                    "case {case}, {width} streams, {choice:?}: {batch:?} with {:?} {options:?}",
                    lex.aliases()
                );
            }
        }
    }
}

/// Walks from word starts pass over the words that begin no alias (`first_words`); with
/// hundreds of aliases the filter has many blocks and rejects most words, and the matches
/// are still those of the crate's own search.
#[test]
fn the_first_word_filter_keeps_every_match() {
    let syllables = ["ka", "ro", "mi", "É", "ss", "ß", "7", "Ж"];
    let separators = [" ", "-", ".", "'"];
    let text_pieces = [
        "ka", "ro", "mi", "é", "SS", "ß", "7", "ж", "x", " ", "-", ".", "’", ", ", "\n",
    ];
    let mut rng = Lcg(31);
    let word = |rng: &mut Lcg| rng.text(&syllables, 3);
    for case in 0..40 {
        let mut lex = Lexicon::new();
        for i in 0..rng.below(400) + 50 {
            let mut alias = word(&mut rng);
            for _ in 0..rng.below(3) {
                alias.push_str(separators[rng.below(separators.len())]);
                alias.push_str(&word(&mut rng));
            }
            if rng.below(8) == 0 {
                alias.push('*');
            }
            let sensitive = rng.below(6) == 0;
            let _ = lex.add(&format!("E{i}"), &[alias.as_str()], None, sensitive);
        }
        let lex = Arc::new(lex);
        for case_mode in [CaseMode::Insensitive, CaseMode::Sensitive] {
            let options = MatchOptions {
                case: case_mode,
                ..MatchOptions::default()
            };
            let reference =
                Matcher::with_search(lex.clone(), options, SearchChoice::OneStream).unwrap();
            let walks = Matcher::with_search(lex.clone(), options, SearchChoice::Walks).unwrap();
            let batch: Vec<String> = (0..4).map(|_| rng.text(&text_pieces, 400)).collect();
            let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
            let expected: Vec<Vec<Match>> =
                batch.iter().map(|t| reference.find(t).unwrap()).collect();
            assert_eq!(
                walks.find_many(&batch).unwrap(),
                expected,
                "case {case} {options:?}"
            );
            assert!(
                expected.iter().any(|m| !m.is_empty()),
                "case {case} finds nothing"
            );
        }
    }
}

/// Past the DFA limit, whole words look most aliases up a run of words at a time
/// (`word_sequences`) and walk a trie for the rest (prefix entries, aliases that begin or end
/// with punctuation); at one start both lists are merged, and the longest valid span wins as
/// in every other search.
#[test]
fn the_word_table_and_the_trie_merge_at_one_start() {
    let lex = Arc::new(lexicon(&[
        ("NY", &["New York", "York"], false),
        ("NYC", &["New York (City)", "New York City"], false),
        ("New-prefix", &["New*"], false),
        ("Brien", &["O'Brien", "Brien's"], false),
        ("Paren", &["(Old) Town"], false),
    ]));
    let options = MatchOptions::default();
    let walks = Matcher::with_search(lex.clone(), options, SearchChoice::Walks).unwrap();
    let reference = Matcher::with_search(lex, options, SearchChoice::OneStream).unwrap();
    let text = "New York (City) and New Yorkers, New York City. NEW YORK! Newark; \
                O'Brien's (old) town, york'x york’s";
    assert_eq!(walks.find(text).unwrap(), reference.find(text).unwrap());
    assert_eq!(
        texts(&walks, text),
        [
            "New York (City)",
            "New",
            "New York City",
            "NEW YORK",
            "Newark",
            "O'Brien",
            "(old) town",
            "york"
        ]
    );
}

/// Originals searched unfolded (`unfolded`) give the matches of their folded copies: ASCII
/// and typographic texts full of whitespace runs, line breaks (`\r\n`, paragraphs) inside
/// multi-word aliases, hyphens and dashes between words or not, case mixtures, possessives,
/// elisions and quotes; mixed in batches with texts that must be folded (`é`, a no-break
/// space). The reference folds every text; the crate's own search is checked too.
#[test]
fn originals_searched_unfolded_match_as_their_folded_copies() {
    use super::lockstep::{FORCED_WIDTH, MAX_STREAMS};
    let words = [
        "new", "york", "a", "b", "o", "city", "7", "l", "s", "brien", "é",
    ];
    let joins = [" ", " ", "'", "' ", "'s ", ".", "(", ") ", "\"", "-", ""];
    let text_words = [
        "new", "New", "NEW", "york", "York", "a", "A", "b", "o", "O", "city", "CITY", "7", "l",
        "s", "brien", "Brien", "x", "Q",
    ];
    let text_joins = [
        " ", " ", " ", "  ", " \t ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n\r", " \n \n",
        "\u{b}", "\u{c}", "-", "--", " - ", "- ", "–", "—", "―", "‑", "’", "‘", "“", "”", "′", "″",
        "'", "\"", "'s ", "’s ", "’ ", "…", "•", "€", ".", ", ", ";", "!", "(", ")", "",
    ];
    let folding = ["é", "\u{a0}", "\u{2009}", "\u{ad}", "Ж"];
    let mut rng = Lcg(31);
    let mut built = 0;
    for case in 0..1500 {
        let mut lex = Lexicon::new();
        for i in 0..rng.below(8) + 1 {
            let mut alias = String::from(words[rng.below(words.len())]);
            for _ in 0..rng.below(3) {
                alias.push_str(joins[rng.below(joins.len())]);
                alias.push_str(words[rng.below(words.len())]);
            }
            if rng.below(8) == 0 {
                alias.push('*');
            }
            let sensitive = rng.below(6) == 0;
            let _ = lex.add(&format!("E{i}"), &[alias.as_str()], None, sensitive);
        }
        if lex.aliases().is_empty() {
            continue;
        }
        let lex = Arc::new(lex);
        let options = MatchOptions {
            whole_words: rng.below(4) != 0,
            case: if rng.below(4) == 0 {
                CaseMode::Sensitive
            } else {
                CaseMode::Insensitive
            },
            ..MatchOptions::default()
        };
        let Ok(m) = Matcher::with_search(lex.clone(), options, SearchChoice::Unanchored) else {
            continue;
        };
        if m.passes.iter().any(|p| p.unfolded.is_some()) {
            built += 1;
        }
        let reference =
            Matcher::with_search(lex.clone(), options, SearchChoice::OneStream).unwrap();
        let batch: Vec<String> = (0..rng.below(6) + 1)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..rng.below(30) + 1 {
                    text.push_str(text_joins[rng.below(text_joins.len())]);
                    text.push_str(text_words[rng.below(text_words.len())]);
                }
                if rng.below(4) == 0 {
                    text.push_str(folding[rng.below(folding.len())]);
                }
                text
            })
            .collect();
        let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
        FOLD_ALWAYS.set(true);
        let expected = m.find_many(&batch).unwrap();
        FOLD_ALWAYS.set(false);
        let by_crate: Vec<Vec<Match>> = batch.iter().map(|t| reference.find(t).unwrap()).collect();
        assert_eq!(
            expected, by_crate,
            "case {case}: folded lockstep against the crate"
        );
        for width in [1, 4, MAX_STREAMS] {
            FORCED_WIDTH.set(Some(width));
            let found = m.find_many(&batch);
            FORCED_WIDTH.set(None);
            assert_eq!(
                found.unwrap(),
                expected,
                "case {case}, {width} streams: {batch:?} with {:?} {options:?}",
                lex.aliases()
            );
        }
    }
    assert!(built > 500, "only {built} cases had an unfolded table");
}

#[test]
fn unfolded_examples() {
    let lex = Arc::new(lexicon(&[
        ("NY", &["New York"], false),
        ("R", &["Russia"], false),
        ("B", &["O'Brien", "Brien"], false),
    ]));
    let m = Matcher::with_search(lex, MatchOptions::default(), SearchChoice::Unanchored).unwrap();
    assert!(m.passes[0].unfolded.is_some());
    let cases: &[(&str, &[&str])] = &[
        ("new\n\nyork", &[]),
        ("NEW \r\n  York", &["NEW \r\n  York"]),
        ("new-york new–York new - york", &["new-york", "new–York"]),
        ("Russia’s O’Brien", &["Russia", "O’Brien"]),
        ("x’Brien d’Brien", &["Brien"]),
    ];
    // The lexicon of tests/test_unfolded.py gets the table by default (no prefilter).
    let mut filler = Lexicon::new();
    for i in 0..130u8 {
        let alias = format!("{}{}qton", (b'a' + i % 26) as char, (b'a' + i / 26) as char);
        filler
            .add(&format!("F{i}"), &[alias.as_str()], None, false)
            .unwrap();
    }
    filler
        .add("NY", &["New York", "O'Brien"], None, false)
        .unwrap();
    let auto = Matcher::new(filler, MatchOptions::default()).unwrap();
    assert!(auto.passes[0].unfolded.is_some());
    for &(text, want) in cases {
        assert_eq!(texts(&m, text), want, "in {text:?}");
        FOLD_ALWAYS.set(true);
        assert_eq!(texts(&m, text), want, "folded: {text:?}");
        FOLD_ALWAYS.set(false);
    }
}
