//! Resolving ambiguous mentions: of the entities an alias names ("Georgia": the country, the
//! US state), which one did this mention mean? Decided from the lexicon and the document alone,
//! per document, in time linear in the matches; rules and examples in docs/resolving.md.
//!
//! A *mention* is a span of a document; it is *ambiguous* when the scan gave it rows of more
//! than one entity. Unambiguous mentions pass through untouched and are the evidence: a
//! candidate gains when the document also names it, its parent, its children or its siblings
//! unambiguously, when the mention is followed by its region ("Paris, Texas"), and when its
//! context phrases stand within `window` words. The same alias in one document is one entity
//! (one sense per document) unless the mention's own evidence strongly says otherwise; the
//! prior `weight` decides last. A mention whose score stays below `min_score` is dropped.

mod context;
mod document;
mod offsets;
mod score;
#[cfg(test)]
mod tests;

use crate::error::Result;
use crate::lexicon::{EntityId, Lexicon};
use crate::scan::ScanResult;
use context::ContextPhrases;
use document::Scratch;
use rayon::prelude::*;
use std::ops::Range;

/// About how many rows one worker resolves at a time, in one set of buffers, into one part of
/// the output: enough that allocations are few, and pieces enough to share the cores.
const ROWS_PER_BATCH: usize = 1 << 12;

/// What a resolver reads from a lexicon, checked and indexed once per matcher.
///
/// ```
/// use lexiscan::{Lexicon, Matcher, MatchOptions, ParentRef, scan::scan};
/// use lexiscan::resolve::{resolve, Resolver, ResolveOptions, Evidence};
/// let mut lex = Lexicon::new();
/// let country = lex.add("Georgia", &[] as &[&str], Some("COUNTRY"), false).unwrap();
/// let state = lex.add("Georgia", &[] as &[&str], Some("US_STATE"), false).unwrap();
/// let atlanta = lex.add("Atlanta", &[] as &[&str], Some("CITY"), false).unwrap();
/// let parent = ParentRef { name: "Georgia".into(), label: Some("US_STATE".into()) };
/// lex.set_resolution_info(atlanta, Some(parent), None, &[] as &[&str]).unwrap();
/// lex.set_resolution_info(country, None, Some(3.7e6), &["Tbilisi"]).unwrap();
/// lex.set_resolution_info(state, None, Some(10.7e6), &[] as &[&str]).unwrap();
/// let resolver = Resolver::new(&lex).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let docs = [Some("Protests in Tbilisi, Georgia."), Some("Atlanta, Georgia"), Some("Georgia")];
/// let found = scan(&m, &docs, 0, Some(1)).unwrap();
/// let text = |d: u64| docs[d as usize];
/// let r = resolve(&resolver, &found, &text, ResolveOptions::default()).unwrap();
/// let kept = found.select(&r.kept);
/// let entities: Vec<_> = (0..kept.len()).map(|i| kept.entity(i)).collect();
/// assert_eq!(entities, [country, atlanta, state, state]);
/// assert_eq!(r.evidence, [Evidence::Context, Evidence::Unambiguous, Evidence::Pattern, Evidence::Prior]);
/// ```
pub struct Resolver {
    parents: Vec<Option<EntityId>>,
    /// Each entity's prior (0 where none was given), and whether one was given.
    weights: Vec<f64>,
    weighted: Vec<bool>,
    context: Option<ContextPhrases>,
}

impl Resolver {
    /// Index `lexicon`'s parents (a missing parent or a cycle is an error), weights and
    /// context phrases (compiled into a small matcher of their own).
    pub fn new(lexicon: &Lexicon) -> Result<Self> {
        Ok(Self {
            parents: lexicon.parent_ids()?,
            weights: lexicon
                .entities()
                .iter()
                .map(|e| e.weight.unwrap_or(0.0))
                .collect(),
            weighted: lexicon
                .entities()
                .iter()
                .map(|e| e.weight.is_some())
                .collect(),
            context: ContextPhrases::new(lexicon)?,
        })
    }

    /// Whether `ancestor` is above `entity` in the parent tree (its parent, grandparent...).
    fn is_ancestor(&self, ancestor: EntityId, entity: EntityId) -> bool {
        let mut at = self.parents[entity as usize];
        while let Some(p) = at {
            if p == ancestor {
                return true;
            }
            at = self.parents[p as usize];
        }
        false
    }
}

/// Settings of [`resolve`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResolveOptions {
    /// Mentions whose best score stays below this are dropped (listed apart, never lost).
    pub min_score: f64,
    /// How many words away a context phrase may stand.
    pub window: usize,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        Self {
            min_score: 0.0,
            window: 10,
        }
    }
}

/// The rule that decided a mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Evidence {
    /// One entity only: passed through.
    Unambiguous = 0,
    /// "Place, Region": the mention is followed by one of the candidate's ancestors.
    Pattern = 1,
    /// The candidate's context phrases stand within the window.
    Context = 2,
    /// The document names the candidate, its parent, children or siblings unambiguously.
    Document = 3,
    /// Other mentions of the same alias in the document decided it.
    OneSense = 4,
    /// Nothing else told the candidates apart: the largest weight.
    Prior = 5,
}

impl Evidence {
    /// Every rule, by code.
    pub const ALL: [Evidence; 6] = [
        Evidence::Unambiguous,
        Evidence::Pattern,
        Evidence::Context,
        Evidence::Document,
        Evidence::OneSense,
        Evidence::Prior,
    ];

    /// The rule's name, as the `evidence` column shows it.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Unambiguous => "unambiguous",
            Evidence::Pattern => "pattern",
            Evidence::Context => "context",
            Evidence::Document => "document",
            Evidence::OneSense => "one sense",
            Evidence::Prior => "prior",
        }
    }
}

/// What [`resolve`] decided, as rows of the scan it was given, in scan order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    /// Rows kept: every row of an unambiguous mention, the chosen row of a resolved one.
    pub kept: Vec<usize>,
    /// The score of each kept row (NaN for unambiguous mentions: nothing was decided).
    pub score: Vec<f64>,
    pub evidence: Vec<Evidence>,
    /// For each dropped mention, the row of its best candidate, with its score and rule.
    pub dropped: Vec<usize>,
    pub dropped_score: Vec<f64>,
    pub dropped_evidence: Vec<Evidence>,
}

impl Resolution {
    fn with_capacity(rows: usize) -> Self {
        Self {
            kept: Vec::with_capacity(rows),
            score: Vec::with_capacity(rows),
            evidence: Vec::with_capacity(rows),
            ..Self::default()
        }
    }

    /// Keep `rows` of unambiguous mentions as they are.
    fn pass(&mut self, rows: Range<usize>) {
        self.kept.extend(rows);
        self.score.resize(self.kept.len(), f64::NAN);
        self.evidence.resize(self.kept.len(), Evidence::Unambiguous);
    }

    /// The resolutions of consecutive batches of documents as one, in order.
    fn concat(mut parts: Vec<Resolution>) -> Resolution {
        if parts.len() <= 1 {
            return parts.pop().unwrap_or_default();
        }
        let kept = parts.iter().map(|p| p.kept.len()).sum();
        let dropped = parts.iter().map(|p| p.dropped.len()).sum();
        let mut out = Resolution {
            dropped: Vec::with_capacity(dropped),
            dropped_score: Vec::with_capacity(dropped),
            dropped_evidence: Vec::with_capacity(dropped),
            ..Resolution::with_capacity(kept)
        };
        for part in parts {
            out.kept.extend_from_slice(&part.kept);
            out.score.extend_from_slice(&part.score);
            out.evidence.extend_from_slice(&part.evidence);
            out.dropped.extend_from_slice(&part.dropped);
            out.dropped_score.extend_from_slice(&part.dropped_score);
            out.dropped_evidence
                .extend_from_slice(&part.dropped_evidence);
        }
        out
    }
}

/// Resolve every ambiguous mention of `result` (a scan with the resolver's lexicon) on the
/// current rayon pool; `text(doc)` gives a document's text, or None where it was not kept
/// (then the "Place, Region" and context rules cannot look and stay silent).
pub fn resolve<'t>(
    resolver: &Resolver,
    result: &ScanResult,
    text: &(dyn Fn(u64) -> Option<&'t str> + Sync),
    options: ResolveOptions,
) -> Result<Resolution> {
    resolve_knowing_ascii(resolver, result, text, &|_| false, options)
}

/// [`resolve`], told by `ascii(doc)` which documents are known to be plain ASCII (false where
/// unknown): their character offsets are their byte offsets, so the rules that read the text
/// need not walk it to convert them. The decisions are the same.
pub fn resolve_knowing_ascii<'t>(
    resolver: &Resolver,
    result: &ScanResult,
    text: &(dyn Fn(u64) -> Option<&'t str> + Sync),
    ascii: &(dyn Fn(u64) -> bool + Sync),
    options: ResolveOptions,
) -> Result<Resolution> {
    if result.is_empty() {
        return Ok(Resolution::default());
    }
    // Each document's first row, then the end: a scan has one run of rows per document.
    let docs: Vec<u64> = result.doc_runs().map(|(doc, _)| doc).collect();
    let mut bounds: Vec<usize> = result.doc_runs().map(|(_, rows)| rows.start).collect();
    bounds.push(result.len());
    // Batches of whole documents, as `bounds[cuts[b]..=cuts[b + 1]]`.
    let mut cuts = vec![0];
    for k in 1..bounds.len() - 1 {
        if bounds[k] - bounds[cuts[cuts.len() - 1]] >= ROWS_PER_BATCH {
            cuts.push(k);
        }
    }
    cuts.push(bounds.len() - 1);
    let parts = cuts
        .par_windows(2)
        .map_init(Scratch::default, |scratch, batch| {
            let starts = &bounds[batch[0]..=batch[1]];
            let mut part = Resolution::with_capacity(starts[starts.len() - 1] - starts[0]);
            for (k, w) in starts.windows(2).enumerate() {
                let rows = w[0]..w[1];
                if document::all_unambiguous(result, rows.clone()) {
                    part.pass(rows);
                    continue;
                }
                let doc = docs[batch[0] + k];
                let (text, ascii) = (text(doc), ascii(doc));
                document::resolve_document(
                    resolver, result, rows, text, ascii, options, scratch, &mut part,
                )?;
            }
            Ok(part)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Resolution::concat(parts))
}
