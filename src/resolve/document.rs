//! The decisions for one document: its mentions, the evidence for each candidate, one sense
//! per alias, and the score. A worker resolves document after document in one [`Scratch`], so
//! that nothing is allocated per document once its buffers have grown.

use super::context::{Around, Near};
use super::offsets::ByteOffsets;
use super::score::{best, deciding_rule, prior_penalties, prior_share, Votes};
use super::{Evidence, Resolution, ResolveOptions, Resolver};
use crate::error::Result;
use crate::lexicon::EntityId;
use crate::scan::ScanResult;
use std::ops::Range;

/// Evidence weights. A region right after the mention is nearly proof; a context phrase or a
/// related entity named in the document is one vote each; a sibling (another city of the same
/// state) is half a vote. Votes of one kind are capped so one long list cannot drown the rest.
const PATTERN: f64 = 3.0;
const CONTEXT: f64 = 1.0;
const MAX_CONTEXT: usize = 3;
const RELATED: f64 = 1.0;
const MAX_CHILDREN: u32 = 3;
const SIBLING: f64 = 0.5;
const MAX_SIBLINGS: u32 = 4;
/// How much more local evidence (pattern and context) a mention needs for its own candidate
/// to stand against the sense of the other mentions of its alias in the document.
const STRONG: f64 = 2.0;
/// The most characters between a place and its region: ", " and a little slack.
const MAX_PATTERN_GAP: usize = 4;

/// One span of the document. Its candidates (entity, first row naming it), by entity, are
/// `Scratch::candidates[candidates]`, their votes `Scratch::votes[candidates]`.
struct Mention {
    start: u64,
    end: u64,
    candidates: Range<usize>,
    /// Where the span's rows are in the document's sorted rows (an unambiguous mention's rows
    /// all pass through).
    rows: Range<usize>,
}

impl Mention {
    fn ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }
}

/// One decision about one row, before the rows are split into kept and dropped.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decision {
    row: usize,
    score: f64,
    evidence: Evidence,
    dropped: bool,
}

/// The mentions of one sense: those of a document with the same candidates, which have the
/// same `document` votes and prior penalties too. Group `g`'s candidates' summed votes,
/// `document` votes and prior penalties are `votes[start[g]..]`, `document[start[g]..]` and
/// `penalties[start[g]..]`, as many as its mentions have candidates.
#[derive(Default)]
struct Groups {
    /// The ambiguous mentions, ordered by their candidates.
    by_candidates: Vec<usize>,
    /// Each mention's group (`usize::MAX` for an unambiguous one).
    of: Vec<usize>,
    /// Each group's first mention, its first candidate's index in `votes`, its size.
    first: Vec<usize>,
    start: Vec<usize>,
    size: Vec<usize>,
    votes: Vec<Votes>,
    document: Vec<f64>,
    penalties: Vec<f64>,
    /// The candidate the group's summed votes choose (one sense), by group.
    sense: Vec<usize>,
}

/// What resolving one document needs, in buffers a worker reuses from document to document.
#[derive(Default)]
pub(super) struct Scratch {
    /// The document's rows sorted by (start, end); its spans in that order, and their
    /// candidates back to back.
    order: Vec<usize>,
    mentions: Vec<Mention>,
    candidates: Vec<(EntityId, usize)>,
    /// The votes for every candidate, indexed as `candidates` (those of an unambiguous mention
    /// stay empty).
    votes: Vec<Votes>,
    /// The entities the document names unambiguously, and their parents (both sorted).
    named: Vec<EntityId>,
    parents: Vec<EntityId>,
    /// "Place, Region" pairs of mentions, and the mentions that look for context phrases.
    pairs: Vec<(usize, usize)>,
    asking: Vec<usize>,
    bytes: ByteOffsets,
    around: Vec<Around>,
    near: Near,
    groups: Groups,
    decisions: Vec<Decision>,
}

/// Decide the ambiguous mentions of a document's `rows` (of which some span has two
/// entities: see [`all_unambiguous`]) and add its rows to `out`, kept or dropped, in scan
/// order.
#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_document(
    resolver: &Resolver,
    r: &ScanResult,
    rows: Range<usize>,
    text: Option<&str>,
    ascii: bool,
    options: ResolveOptions,
    scratch: &mut Scratch,
    out: &mut Resolution,
) -> Result<()> {
    scratch.spans(r, rows);
    scratch.group(resolver);
    scratch.document_votes(resolver);
    if let Some(text) = text {
        scratch.text_votes(resolver, text, ascii, options)?;
    }
    scratch.decide(resolver, options);
    for d in &scratch.decisions {
        if d.dropped {
            out.dropped.push(d.row);
            out.dropped_score.push(d.score);
            out.dropped_evidence.push(d.evidence);
        } else {
            out.kept.push(d.row);
            out.score.push(d.score);
            out.evidence.push(d.evidence);
        }
    }
    Ok(())
}

/// Whether no span of these rows has two entities, seen without sorting when the rows are in
/// scan order (by start, then end) as they come from a scan.
pub(super) fn all_unambiguous(r: &ScanResult, rows: Range<usize>) -> bool {
    let span = |i: usize| (r.start(i), std::cmp::Reverse(r.end(i)));
    (rows.start + 1..rows.end).all(|i| {
        let (before, here) = (span(i - 1), span(i));
        before < here || (before == here && r.entity(i - 1) == r.entity(i))
    })
}

fn passed(row: usize) -> Decision {
    Decision {
        row,
        score: f64::NAN,
        evidence: Evidence::Unambiguous,
        dropped: false,
    }
}

impl Scratch {
    /// The document's rows sorted by (start, end), its spans in that order, and their
    /// candidates back to back (entity and first row, by entity).
    fn spans(&mut self, r: &ScanResult, rows: Range<usize>) {
        let Scratch {
            order,
            mentions,
            candidates,
            ..
        } = self;
        order.clear();
        order.extend(rows);
        // A scan's rows usually come in this order already (ties in row order, as the sort's).
        if !order.is_sorted_by_key(|&i| (r.start(i), r.end(i))) {
            order.sort_by_key(|&i| (r.start(i), r.end(i), i));
        }
        mentions.clear();
        candidates.clear();
        let mut at = 0;
        for span in order.chunk_by(|&a, &b| (r.start(a), r.end(a)) == (r.start(b), r.end(b))) {
            let first = candidates.len();
            for &row in span {
                if !candidates[first..].iter().any(|&(e, _)| e == r.entity(row)) {
                    candidates.push((r.entity(row), row));
                }
            }
            candidates[first..].sort_unstable();
            mentions.push(Mention {
                start: r.start(span[0]),
                end: r.end(span[0]),
                candidates: first..candidates.len(),
                rows: at..at + span.len(),
            });
            at += span.len();
        }
    }

    /// The `document` votes: the entities the document names unambiguously, and how many of
    /// them each parent has; worked out once per group, the same for each of its mentions.
    fn document_votes(&mut self, resolver: &Resolver) {
        let Scratch {
            mentions,
            candidates: all,
            votes,
            named,
            parents,
            groups,
            ..
        } = self;
        named.clear();
        named.extend(
            mentions
                .iter()
                .filter(|m| !m.ambiguous())
                .map(|m| all[m.candidates.start].0),
        );
        named.sort_unstable();
        named.dedup();
        // The parents of the named entities, sorted: a parent's run is its number of children.
        parents.clear();
        parents.extend(named.iter().filter_map(|&e| resolver.parents[e as usize]));
        parents.sort_unstable();
        let children = |p: EntityId| {
            let from = parents.partition_point(|&q| q < p);
            parents[from..].iter().take_while(|&&q| q == p).count() as u32
        };
        let is_named = |e: EntityId| named.binary_search(&e).is_ok();
        groups.document.clear();
        for &first in &groups.first {
            let candidates = &all[mentions[first].candidates.clone()];
            groups.document.extend(candidates.iter().map(|&(c, _)| {
                let named = is_named(c);
                let (parent_named, siblings) = match resolver.parents[c as usize] {
                    Some(p) => (is_named(p), children(p) - u32::from(named)),
                    None => (false, 0),
                };
                RELATED * f64::from(u8::from(named))
                    + RELATED * f64::from(u8::from(parent_named))
                    + RELATED * f64::from(children(c).min(MAX_CHILDREN))
                    + SIBLING * f64::from(siblings.min(MAX_SIBLINGS))
            }));
        }
        votes.clear();
        votes.resize(all.len(), Votes::default());
        for (m, &g) in mentions.iter().zip(&groups.of) {
            if g != usize::MAX {
                let document = &groups.document[groups.start[g]..];
                for (v, &d) in votes[m.candidates.clone()].iter_mut().zip(document) {
                    v.document = d;
                }
            }
        }
    }

    /// The `pattern` and `context` votes, which read the document's `text`.
    fn text_votes(
        &mut self,
        resolver: &Resolver,
        text: &str,
        ascii: bool,
        options: ResolveOptions,
    ) -> Result<()> {
        let Scratch {
            mentions,
            candidates: all,
            votes,
            pairs,
            asking,
            bytes,
            around,
            near,
            ..
        } = self;
        // "Place, Region": a mention followed by ", " and a mention of one of its ancestors.
        pairs.clear();
        for (i, a) in mentions.iter().enumerate() {
            let Some(j) = (i + 1..mentions.len()).find(|&j| mentions[j].start >= a.end) else {
                continue;
            };
            let b = &mentions[j];
            let either_ambiguous = a.ambiguous() || b.ambiguous();
            if either_ambiguous && b.start - a.end <= MAX_PATTERN_GAP as u64 {
                pairs.push((i, j));
            }
        }
        // Context phrases around the ambiguous mentions whose candidates have some.
        asking.clear();
        if let Some(phrases) = &resolver.context {
            asking.extend((0..mentions.len()).filter(|&i| {
                let m = &mentions[i];
                m.ambiguous()
                    && all[m.candidates.clone()]
                        .iter()
                        .any(|&(c, _)| phrases.has_context(c))
            }));
        }
        if pairs.is_empty() && asking.is_empty() {
            return Ok(());
        }
        bytes.reset(ascii);
        for &(i, j) in pairs.iter() {
            bytes.want(mentions[i].end);
            bytes.want(mentions[j].start);
        }
        for &i in asking.iter() {
            bytes.want(mentions[i].start);
            bytes.want(mentions[i].end);
        }
        bytes.walk(text);

        for &(i, j) in pairs.iter() {
            let (a, b) = (&mentions[i], &mentions[j]);
            let gap = &text[bytes.of(a.end)..bytes.of(b.start)];
            if gap.trim() != "," {
                continue;
            }
            for ka in a.candidates.clone() {
                for kb in b.candidates.clone() {
                    if resolver.is_ancestor(all[kb].0, all[ka].0) {
                        // An unambiguous mention's votes are never read.
                        votes[ka].pattern = PATTERN;
                        votes[kb].pattern = PATTERN;
                    }
                }
            }
        }

        if let Some(phrases) = &resolver.context {
            around.clear();
            around.extend(asking.iter().map(|&i| Around {
                byte_start: bytes.of(mentions[i].start),
                byte_end: bytes.of(mentions[i].end),
            }));
            phrases.near(text, around, options.window, near)?;
            for (k, &i) in asking.iter().enumerate() {
                let found = near.pairs(k);
                for c in mentions[i].candidates.clone() {
                    let n = found.iter().filter(|&&(_, e)| e == all[c].0).count();
                    votes[c].context = CONTEXT * n.min(MAX_CONTEXT) as f64;
                }
            }
        }
        Ok(())
    }

    /// One sense per document: the mentions with the same candidates form one group, whose
    /// prior penalties are computed once (its `document` votes by `document_votes`, its
    /// summed votes and its sense by `decide`).
    fn group(&mut self, resolver: &Resolver) {
        let Scratch {
            mentions,
            candidates: all,
            groups,
            ..
        } = self;
        let Groups {
            by_candidates,
            of,
            first,
            start,
            size,
            votes: sums,
            penalties,
            ..
        } = groups;
        let entities = |i: usize| all[mentions[i].candidates.clone()].iter().map(|c| c.0);
        by_candidates.clear();
        by_candidates.extend((0..mentions.len()).filter(|&i| mentions[i].ambiguous()));
        by_candidates.sort_unstable_by(|&a, &b| entities(a).cmp(entities(b)));
        of.clear();
        of.resize(mentions.len(), usize::MAX);
        first.clear();
        start.clear();
        size.clear();
        sums.clear();
        penalties.clear();
        for same in by_candidates.chunk_by(|&a, &b| entities(a).eq(entities(b))) {
            let candidates = &all[mentions[same[0]].candidates.clone()];
            for &i in same {
                of[i] = start.len();
            }
            first.push(same[0]);
            start.push(sums.len());
            size.push(same.len());
            sums.resize(sums.len() + candidates.len(), Votes::default());
            prior_penalties(resolver, candidates, penalties);
        }
    }

    /// Each mention's decision, in scan order: its rows where it is unambiguous, else its
    /// chosen candidate's row with score and rule.
    fn decide(&mut self, resolver: &Resolver, options: ResolveOptions) {
        let Scratch {
            order,
            mentions,
            candidates: all,
            votes,
            groups,
            decisions,
            ..
        } = self;
        // Each group's votes, summed in document order, and the sense they choose.
        for (m, &g) in mentions.iter().zip(&groups.of) {
            if g != usize::MAX {
                let sums = &mut groups.votes[groups.start[g]..groups.start[g] + m.candidates.len()];
                for (sum, v) in sums.iter_mut().zip(&votes[m.candidates.clone()]) {
                    sum.add(v);
                }
            }
        }
        groups.sense.clear();
        for (&first, &start) in groups.first.iter().zip(&groups.start) {
            let candidates = &all[mentions[first].candidates.clone()];
            let in_group = start..start + candidates.len();
            let group = &groups.votes[in_group.clone()];
            let penalties = &groups.penalties[in_group];
            let sense = best(resolver, candidates, penalties, |k| group[k].total());
            groups.sense.push(sense);
        }
        decisions.clear();
        for (i, m) in mentions.iter().enumerate() {
            if !m.ambiguous() {
                decisions.extend(order[m.rows.clone()].iter().map(|&row| passed(row)));
                continue;
            }
            let g = groups.of[i];
            let in_group = groups.start[g]..groups.start[g] + m.candidates.len();
            let group = &groups.votes[in_group.clone()];
            let penalties = &groups.penalties[in_group];
            let candidates = &all[m.candidates.clone()];
            let own_votes = &votes[m.candidates.clone()];
            let sense = groups.sense[g];
            // A mention alone in its group has the group's votes: its own best is the sense.
            let own = if groups.size[g] == 1 {
                sense
            } else {
                best(resolver, candidates, penalties, |k| own_votes[k].total())
            };
            let (chosen, support) =
                if own != sense && own_votes[own].local() - own_votes[sense].local() >= STRONG {
                    (own, own_votes[own].total())
                } else {
                    (sense, group[sense].total())
                };
            let evidence = deciding_rule(own_votes, group, chosen, groups.size[g] > 1);
            let score = support + prior_share(resolver, candidates, chosen);
            decisions.push(Decision {
                row: candidates[chosen].1,
                score,
                evidence,
                dropped: score < options.min_score,
            });
        }
        if !decisions.is_sorted_by_key(|d| d.row) {
            decisions.sort_by_key(|d| d.row);
        }
    }
}
