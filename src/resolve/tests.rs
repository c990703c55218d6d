//! Each rule alone, their order, and the invariants: one entity per mention, unambiguous rows
//! untouched, nothing lost, the same decisions whatever the order of the documents.

use super::*;
use crate::lexicon::ParentRef;
use crate::scan::scan;
use crate::{MatchOptions, Matcher};

/// Georgia (country, weight 3.7), Georgia (US state, 10.7, parent United States), Atlanta
/// (state), Tbilisi (country), Alabama (United States), Paris (France, 2.1), Paris (Texas,
/// 0.025), Texas ("Tex."), France, United States, and "Jordan" the country with no rival.
fn gazetteer() -> Lexicon {
    let mut lex = Lexicon::new();
    let mut add = |name: &str,
                   aliases: &[&str],
                   label: &str,
                   parent: Option<(&str, &str)>,
                   weight: Option<f64>,
                   context: &[&str]| {
        let id = lex.add(name, aliases, Some(label), false).unwrap();
        let parent = parent.map(|(n, l)| ParentRef {
            name: n.into(),
            label: Some(l.into()),
        });
        lex.set_resolution_info(id, parent, weight, context)
            .unwrap();
    };
    add(
        "Georgia",
        &[],
        "COUNTRY",
        None,
        Some(3.7),
        &["Tbilisi", "Caucasus"],
    );
    add(
        "Georgia",
        &["Ga."],
        "STATE",
        Some(("United States", "COUNTRY")),
        Some(10.7),
        &[],
    );
    add(
        "Atlanta",
        &[],
        "CITY",
        Some(("Georgia", "STATE")),
        Some(0.5),
        &[],
    );
    add(
        "Tbilisi",
        &[],
        "CITY",
        Some(("Georgia", "COUNTRY")),
        Some(1.1),
        &[],
    );
    add(
        "Alabama",
        &["Ala."],
        "STATE",
        Some(("United States", "COUNTRY")),
        None,
        &[],
    );
    add(
        "Paris",
        &[],
        "CITY",
        Some(("France", "COUNTRY")),
        Some(2.1),
        &["Seine"],
    );
    add(
        "Paris",
        &[],
        "CITY_TX",
        Some(("Texas", "STATE")),
        Some(0.025),
        &[],
    );
    add(
        "Texas",
        &["Tex."],
        "STATE",
        Some(("United States", "COUNTRY")),
        None,
        &[],
    );
    add("France", &[], "COUNTRY", None, None, &[]);
    add("United States", &[], "COUNTRY", None, None, &[]);
    lex
}

struct Resolved {
    entities: Vec<(String, String)>,
    evidence: Vec<Evidence>,
    score: Vec<f64>,
    dropped: usize,
}

fn run(docs: &[&str], options: ResolveOptions) -> Resolved {
    let lex = gazetteer();
    let resolver = Resolver::new(&lex).unwrap();
    let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    let docs: Vec<Option<&str>> = docs.iter().map(|&d| Some(d)).collect();
    let found = scan(&m, &docs, 0, Some(1)).unwrap();
    let text = |d: u64| docs[d as usize];
    let r = resolve(&resolver, &found, &text, options).unwrap();
    let entity = |row: usize| {
        let e = &m.lexicon().entities()[found.entity(row) as usize];
        (e.name.clone(), e.label.clone().unwrap_or_default())
    };
    Resolved {
        entities: r.kept.iter().map(|&row| entity(row)).collect(),
        evidence: r.evidence,
        score: r.score,
        dropped: r.dropped.len(),
    }
}

fn pair(name: &str, label: &str) -> (String, String) {
    (name.into(), label.into())
}

#[test]
fn each_rule_decides_its_own_example() {
    let cases: &[(&str, (&str, &str), Evidence)] = &[
        ("Georgia", ("Georgia", "STATE"), Evidence::Prior),
        (
            "In the Caucasus, Georgia voted.",
            ("Georgia", "COUNTRY"),
            Evidence::Context,
        ),
        (
            "Paris, Tex. and more",
            ("Paris", "CITY_TX"),
            Evidence::Pattern,
        ),
        (
            "They left Paris , Texas.",
            ("Paris", "CITY_TX"),
            Evidence::Pattern,
        ),
        (
            "Georgia. One two three four five six seven eight nine ten eleven, in Tbilisi.",
            ("Georgia", "COUNTRY"),
            Evidence::Document,
        ),
        (
            "Alabama and Georgia",
            ("Georgia", "STATE"),
            Evidence::Document,
        ),
    ];
    for &(doc, (name, label), rule) in cases {
        let r = run(&[doc], ResolveOptions::default());
        let at = r
            .entities
            .iter()
            .position(|e| e.0 == name)
            .unwrap_or_else(|| panic!("{doc}: {:?}", r.entities));
        assert_eq!(r.entities[at], pair(name, label), "{doc}");
        assert_eq!(r.evidence[at], rule, "{doc}");
    }
}

#[test]
fn one_sense_per_document_unless_strong_local_evidence() {
    let r = run(
        &["Tbilisi said Georgia would wait. Georgia agreed."],
        ResolveOptions::default(),
    );
    let georgias: Vec<_> = r.entities.iter().filter(|e| e.0 == "Georgia").collect();
    assert_eq!(georgias, [&pair("Georgia", "COUNTRY"); 2]);
    // The second Georgia is followed by its state's country: pattern beats the sense of the
    // document; the first Paris follows the second, which Texas decides.
    let r = run(
        &["Tbilisi, Georgia, spoke to Paris and to Georgia, United States, and Paris, Texas."],
        ResolveOptions::default(),
    );
    let decided: Vec<_> = r
        .entities
        .iter()
        .zip(&r.evidence)
        .filter(|(_, &e)| e != Evidence::Unambiguous)
        .map(|(p, &e)| (p.clone(), e))
        .collect();
    assert_eq!(
        decided,
        [
            (pair("Georgia", "COUNTRY"), Evidence::Pattern),
            (pair("Paris", "CITY_TX"), Evidence::Document),
            (pair("Georgia", "STATE"), Evidence::Pattern),
            (pair("Paris", "CITY_TX"), Evidence::Pattern),
        ]
    );
}

#[test]
fn low_scores_are_dropped_and_listed_never_lost() {
    let docs = ["Georgia", "Paris", "Georgia, in the Caucasus"];
    let all = run(&docs, ResolveOptions::default());
    assert_eq!(all.dropped, 0);
    let strict = run(
        &docs,
        ResolveOptions {
            min_score: 1.0,
            window: 10,
        },
    );
    // Georgia alone scores its prior share (10.7 / 14.4), Paris alone 2.1 / 2.125: both
    // below 1; the third has a context vote.
    assert_eq!(strict.dropped, 2);
    assert_eq!(strict.entities, [pair("Georgia", "COUNTRY")]);
    assert!(all.score.iter().all(|s| *s > 0.0));
}

#[test]
fn unambiguous_rows_pass_through_and_each_mention_keeps_one_entity() {
    let lex = gazetteer();
    let resolver = Resolver::new(&lex).unwrap();
    let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    let docs = [
        Some("Atlanta, Georgia and Paris"),
        None,
        Some("France"),
        Some("Georgia Georgia"),
    ];
    let found = scan(&m, &docs, 0, Some(2)).unwrap();
    let text = |d: u64| docs[d as usize];
    let r = resolve(&resolver, &found, &text, ResolveOptions::default()).unwrap();
    let mut spans: Vec<(u64, u64)> = r
        .kept
        .iter()
        .map(|&i| (found.doc(i), found.start(i)))
        .collect();
    let n = spans.len();
    spans.dedup();
    assert_eq!(spans.len(), n, "one row per mention");
    let all_spans: std::collections::BTreeSet<_> = (0..found.len())
        .map(|i| (found.doc(i), found.start(i)))
        .collect();
    assert_eq!(spans.len(), all_spans.len(), "every mention kept");
    assert!(r.kept.windows(2).all(|w| w[0] < w[1]), "scan order");
    for (&row, e) in r.kept.iter().zip(&r.evidence) {
        let candidates = (0..found.len())
            .filter(|&j| (found.doc(j), found.start(j)) == (found.doc(row), found.start(row)))
            .count();
        assert_eq!(*e == Evidence::Unambiguous, candidates == 1);
    }
    // Without the texts, the pattern and context rules stay silent; the rest still decide.
    let none = |_: u64| None;
    let blind = resolve(&resolver, &found, &none, ResolveOptions::default()).unwrap();
    assert_eq!(blind.kept.len(), r.kept.len());
}

#[test]
fn document_order_does_not_change_a_decision() {
    let texts = [
        "Georgia and Alabama",
        "Tbilisi. Georgia!",
        "Paris, Texas",
        "Paris",
        "nothing here",
        "Georgia Georgia in the Caucasus",
    ];
    let per_doc = |order: &[usize]| {
        let docs: Vec<&str> = order.iter().map(|&i| texts[i]).collect();
        let lex = gazetteer();
        let resolver = Resolver::new(&lex).unwrap();
        let m = Matcher::new(lex, MatchOptions::default()).unwrap();
        let opt: Vec<Option<&str>> = docs.iter().map(|&d| Some(d)).collect();
        let found = scan(&m, &opt, 0, Some(2)).unwrap();
        let text = |d: u64| opt[d as usize];
        let r = resolve(&resolver, &found, &text, ResolveOptions::default()).unwrap();
        let mut out: Vec<(usize, u64, u32, u8, u64)> = r
            .kept
            .iter()
            .zip(&r.evidence)
            .zip(&r.score)
            .map(|((&row, &e), &s)| {
                let original = order[found.doc(row) as usize];
                (
                    original,
                    found.start(row),
                    found.entity(row),
                    e as u8,
                    s.to_bits(),
                )
            })
            .collect();
        out.sort_unstable();
        out
    };
    let forward: Vec<usize> = (0..texts.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    assert_eq!(per_doc(&forward), per_doc(&backward));
    assert_eq!(per_doc(&forward), per_doc(&[3, 5, 0, 2, 4, 1]));
}

#[test]
fn non_ascii_documents_find_the_pattern_at_the_right_bytes() {
    let r = run(&["Über Paris, Texas — ça va"], ResolveOptions::default());
    assert_eq!(r.entities[0], pair("Paris", "CITY_TX"));
    assert_eq!(r.evidence[0], Evidence::Pattern);
}

#[test]
fn knowing_which_documents_are_ascii_changes_no_decision() {
    let texts = [
        "Paris, Texas and Georgia near Tbilisi",
        "Über Paris, Texas — Georgia, Atlanta",
        "Georgia Georgia in the Caucasus, Paris",
    ];
    let lex = gazetteer();
    let resolver = Resolver::new(&lex).unwrap();
    let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    let docs: Vec<Option<&str>> = texts.iter().map(|&t| Some(t)).collect();
    let found = scan(&m, &docs, 0, Some(2)).unwrap();
    let text = |d: u64| docs[d as usize];
    let ascii = |d: u64| texts[d as usize].is_ascii();
    for window in [0, 2, 10] {
        let options = ResolveOptions {
            min_score: 0.0,
            window,
        };
        let walked = resolve(&resolver, &found, &text, options).unwrap();
        let known = resolve_knowing_ascii(&resolver, &found, &text, &ascii, options).unwrap();
        let bits = |r: &Resolution| {
            let scores: Vec<u64> = r.score.iter().map(|s| s.to_bits()).collect();
            (
                r.kept.clone(),
                scores,
                r.evidence.clone(),
                r.dropped.clone(),
            )
        };
        assert_eq!(bits(&walked), bits(&known), "window {window}");
    }
}

#[test]
fn batches_and_reused_buffers_decide_as_each_document_alone() {
    let texts = [
        "Tbilisi, Georgia, spoke to Paris and to Georgia, United States.",
        "Georgia and Alabama",
        "Über Paris, Texas — ça va, Georgia",
        "nothing here",
        "Georgia Georgia in the Caucasus, Paris",
        "Atlanta, Georgia",
        "Paris",
    ];
    let lex = gazetteer();
    let resolver = Resolver::new(&lex).unwrap();
    let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    // Per document: (start, entity, evidence, score bits, dropped) of each decided row.
    type Rows = Vec<(u64, u32, u8, u64, bool)>;
    let decide = |docs: &[&str], options: ResolveOptions| -> (usize, Vec<Rows>) {
        let docs: Vec<Option<&str>> = docs.iter().map(|&d| Some(d)).collect();
        let found = scan(&m, &docs, 0, Some(2)).unwrap();
        let text = |d: u64| docs[d as usize];
        let r = resolve(&resolver, &found, &text, options).unwrap();
        let mut per_doc = vec![Rows::new(); docs.len()];
        let rows = r
            .kept
            .iter()
            .zip(&r.evidence)
            .zip(&r.score)
            .map(|((&row, &e), &s)| (row, e, s, false))
            .chain(
                r.dropped
                    .iter()
                    .zip(&r.dropped_evidence)
                    .zip(&r.dropped_score)
                    .map(|((&row, &e), &s)| (row, e, s, true)),
            );
        for (row, e, s, dropped) in rows {
            let entry = (
                found.start(row),
                found.entity(row),
                e as u8,
                s.to_bits(),
                dropped,
            );
            per_doc[found.doc(row) as usize].push(entry);
        }
        (found.len(), per_doc)
    };
    let order: Vec<usize> = (0..3_000).map(|i| (i * 5) % texts.len()).collect();
    let docs: Vec<&str> = order.iter().map(|&i| texts[i]).collect();
    for min_score in [0.0, 1.0] {
        let options = ResolveOptions {
            min_score,
            window: 10,
        };
        let alone: Vec<Rows> = texts
            .iter()
            .map(|t| decide(&[t], options).1.remove(0))
            .collect();
        let (rows, together) = decide(&docs, options);
        assert!(rows > 2 * ROWS_PER_BATCH, "several batches: {rows} rows");
        for (d, &i) in together.iter().zip(&order) {
            let mut d = d.clone();
            d.sort_unstable();
            let mut expected = alone[i].clone();
            expected.sort_unstable();
            assert_eq!(d, expected, "{}", texts[i]);
        }
    }
}
