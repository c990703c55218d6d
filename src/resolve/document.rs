//! The decisions for one document: its mentions, the evidence for each candidate, one sense
//! per alias, and the score.

use super::context::Around;
use super::{Decision, Evidence, ResolveOptions, Resolver};
use crate::error::Result;
use crate::lexicon::EntityId;
use crate::scan::ScanResult;
use std::collections::HashMap;
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
/// The prior, besides breaking ties: a candidate loses this many votes per factor of ten that
/// its weight falls below the heaviest candidate's (a town a thousand times smaller than the
/// country of the same name needs one and a half votes more), at most down to the ratio below.
const PRIOR_PER_DECADE: f64 = 0.5;
const MIN_WEIGHT_RATIO: f64 = 1e-6;
/// The most characters between a place and its region: ", " and a little slack.
const MAX_PATTERN_GAP: usize = 4;

/// One span of the document. Its candidates (entity, first row naming it), by entity, are
/// `Spans::candidates[candidates]`, their votes `votes[candidates]`.
struct Mention {
    start: u64,
    end: u64,
    candidates: Range<usize>,
    /// Where the span's rows are in the document's sorted rows (an unambiguous mention's rows
    /// all pass through).
    rows: Range<usize>,
}

/// Evidence for one candidate of one mention.
#[derive(Clone, Copy, Default)]
struct Votes {
    pattern: f64,
    context: f64,
    document: f64,
}

impl Votes {
    fn local(&self) -> f64 {
        self.pattern + self.context
    }

    fn total(&self) -> f64 {
        self.pattern + self.context + self.document
    }

    fn add(&mut self, other: &Votes) {
        self.pattern += other.pattern;
        self.context += other.context;
        self.document += other.document;
    }
}

pub(super) fn resolve_document(
    resolver: &Resolver,
    r: &ScanResult,
    rows: Range<usize>,
    text: Option<&str>,
    ascii: bool,
    options: ResolveOptions,
) -> Result<Option<Vec<Decision>>> {
    if all_unambiguous(r, rows.clone()) {
        return Ok(None);
    }
    let Spans {
        order,
        mentions,
        candidates: all,
        entities,
    } = spans(r, rows);
    let votes = votes(resolver, &mentions, &all, text, ascii, options)?;

    // One sense per document: the mentions with the same candidates form one group, whose
    // votes are summed once.
    let mut group_index: HashMap<&[EntityId], usize> = HashMap::new();
    let mut group_of = vec![usize::MAX; mentions.len()];
    // Each group's summed votes, `group_votes[g * ..]` from `group_start[g]`.
    let mut group_votes: Vec<Votes> = Vec::new();
    let mut group_start: Vec<usize> = Vec::new();
    let mut group_size: Vec<usize> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let n = m.candidates.len();
        if n > 1 {
            let g = *group_index
                .entry(&entities[m.candidates.clone()])
                .or_insert_with(|| {
                    group_start.push(group_votes.len());
                    group_votes.resize(group_votes.len() + n, Votes::default());
                    group_size.push(0);
                    group_size.len() - 1
                });
            let sums = &mut group_votes[group_start[g]..group_start[g] + n];
            for (sum, v) in sums.iter_mut().zip(&votes[m.candidates.clone()]) {
                sum.add(v);
            }
            group_size[g] += 1;
            group_of[i] = g;
        }
    }
    let mut decisions = Vec::with_capacity(order.len());
    let mut penalties = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.candidates.len() == 1 {
            decisions.extend(order[m.rows.clone()].iter().map(|&row| passed(row)));
            continue;
        }
        let g = group_of[i];
        let group = &group_votes[group_start[g]..group_start[g] + m.candidates.len()];
        let candidates = &all[m.candidates.clone()];
        let own_votes = &votes[m.candidates.clone()];
        prior_penalties(resolver, candidates, &mut penalties);
        let sense = best(resolver, candidates, &penalties, |k| group[k].total());
        let own = best(resolver, candidates, &penalties, |k| own_votes[k].total());
        let (chosen, support) =
            if own != sense && own_votes[own].local() - own_votes[sense].local() >= STRONG {
                (own, own_votes[own].total())
            } else {
                (sense, group[sense].total())
            };
        let evidence = deciding_rule(own_votes, group, chosen, group_size[g] > 1);
        let score = support + prior_share(resolver, candidates, chosen);
        decisions.push(Decision {
            row: candidates[chosen].1,
            score,
            evidence,
            dropped: score < options.min_score,
        });
    }
    decisions.sort_by_key(|d| d.row);
    Ok(Some(decisions))
}

/// Whether no span of these rows has two entities, seen without sorting when the rows are in
/// scan order (by start, then end) as they come from a scan.
fn all_unambiguous(r: &ScanResult, rows: Range<usize>) -> bool {
    let span = |i: usize| (r.start[i], std::cmp::Reverse(r.end[i]));
    let rows = rows.start..rows.end;
    let in_order = rows.clone().skip(1).all(|i| span(i - 1) <= span(i));
    in_order
        && rows
            .skip(1)
            .all(|i| span(i - 1) != span(i) || r.entity[i - 1] == r.entity[i])
}

fn passed(row: usize) -> Decision {
    Decision {
        row,
        score: f64::NAN,
        evidence: Evidence::Unambiguous,
        dropped: false,
    }
}

/// A document's rows sorted by (start, end), its spans in that order, and their candidates
/// back to back (entity and first row; the entities alone too, as keys of the groups).
struct Spans {
    order: Vec<usize>,
    mentions: Vec<Mention>,
    candidates: Vec<(EntityId, usize)>,
    entities: Vec<EntityId>,
}

fn spans(r: &ScanResult, rows: Range<usize>) -> Spans {
    let mut order: Vec<usize> = rows.collect();
    order.sort_by_key(|&i| (r.start[i], r.end[i], i));
    let mut mentions: Vec<Mention> = Vec::new();
    let mut candidates: Vec<(EntityId, usize)> = Vec::with_capacity(order.len());
    let mut at = 0;
    for span in order.chunk_by(|&a, &b| (r.start[a], r.end[a]) == (r.start[b], r.end[b])) {
        let first = candidates.len();
        for &row in span {
            if !candidates[first..].iter().any(|&(e, _)| e == r.entity[row]) {
                candidates.push((r.entity[row], row));
            }
        }
        candidates[first..].sort_unstable();
        mentions.push(Mention {
            start: r.start[span[0]],
            end: r.end[span[0]],
            candidates: first..candidates.len(),
            rows: at..at + span.len(),
        });
        at += span.len();
    }
    let entities = candidates.iter().map(|c| c.0).collect();
    Spans {
        order,
        mentions,
        candidates,
        entities,
    }
}

/// The votes for every candidate of every mention, indexed as the candidates (those of an
/// unambiguous mention stay empty).
fn votes(
    resolver: &Resolver,
    mentions: &[Mention],
    all: &[(EntityId, usize)],
    text: Option<&str>,
    ascii: bool,
    options: ResolveOptions,
) -> Result<Vec<Votes>> {
    let mut votes = vec![Votes::default(); all.len()];
    let ambiguous = |m: &Mention| m.candidates.len() > 1;

    // The document: the entities it names unambiguously, and how many of them each parent has.
    let mut named: Vec<EntityId> = mentions
        .iter()
        .filter(|m| !ambiguous(m))
        .map(|m| all[m.candidates.start].0)
        .collect();
    named.sort_unstable();
    named.dedup();
    // The parents of the named entities, sorted: a parent's run is its number of children.
    let mut parents: Vec<EntityId> = named
        .iter()
        .filter_map(|&e| resolver.parents[e as usize])
        .collect();
    parents.sort_unstable();
    let children = |p: EntityId| {
        let from = parents.partition_point(|&q| q < p);
        (parents[from..].partition_point(|&q| q == p)) as u32
    };
    let is_named = |e: EntityId| named.binary_search(&e).is_ok();
    for m in mentions.iter().filter(|m| ambiguous(m)) {
        for (&(c, _), v) in all[m.candidates.clone()]
            .iter()
            .zip(&mut votes[m.candidates.clone()])
        {
            let parent = resolver.parents[c as usize];
            let own_children = children(c);
            let siblings = parent.map_or(0, |p| children(p) - u32::from(is_named(c)));
            v.document = RELATED * f64::from(u8::from(is_named(c)))
                + RELATED * f64::from(u8::from(parent.is_some_and(is_named)))
                + RELATED * f64::from(own_children.min(MAX_CHILDREN))
                + SIBLING * f64::from(siblings.min(MAX_SIBLINGS));
        }
    }

    let Some(text) = text else {
        return Ok(votes);
    };
    // "Place, Region": a mention followed by ", " and a mention of one of its ancestors.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, a) in mentions.iter().enumerate() {
        let Some(j) = (i + 1..mentions.len()).find(|&j| mentions[j].start >= a.end) else {
            continue;
        };
        let b = &mentions[j];
        let either_ambiguous = ambiguous(a) || ambiguous(b);
        if either_ambiguous && b.start - a.end <= MAX_PATTERN_GAP as u64 {
            pairs.push((i, j));
        }
    }
    // Context phrases around the ambiguous mentions whose candidates have some.
    let asking: Vec<usize> = match &resolver.context {
        Some(phrases) => (0..mentions.len())
            .filter(|&i| {
                let m = &mentions[i];
                ambiguous(m)
                    && all[m.candidates.clone()]
                        .iter()
                        .any(|&(c, _)| phrases.has_context(c))
            })
            .collect(),
        None => Vec::new(),
    };
    if pairs.is_empty() && asking.is_empty() {
        return Ok(votes);
    }
    let mut positions: Vec<u64> = Vec::with_capacity(2 * (pairs.len() + asking.len()));
    for &(i, j) in &pairs {
        positions.extend([mentions[i].end, mentions[j].start]);
    }
    for &i in &asking {
        positions.extend([mentions[i].start, mentions[i].end]);
    }
    let bytes = ByteOffsets::new(text, positions, ascii);

    for (i, j) in pairs {
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
        let around: Vec<Around> = asking
            .iter()
            .map(|&i| Around {
                byte_start: bytes.of(mentions[i].start),
                byte_end: bytes.of(mentions[i].end),
            })
            .collect();
        let near = phrases.near(text, &around, options.window)?;
        for (&i, found) in asking.iter().zip(near) {
            for k in mentions[i].candidates.clone() {
                let n = found.iter().filter(|&&(_, e)| e == all[k].0).count();
                votes[k].context = CONTEXT * n.min(MAX_CONTEXT) as f64;
            }
        }
    }
    Ok(votes)
}

/// Each candidate's penalty for a weight far below the heaviest candidate's (none without a
/// weight: nothing is known against it), into `penalties`.
fn prior_penalties(
    resolver: &Resolver,
    candidates: &[(EntityId, usize)],
    penalties: &mut Vec<f64>,
) {
    let weight = |k: usize| resolver.weights[candidates[k].0 as usize];
    let heaviest = (0..candidates.len())
        .filter(|&k| resolver.weighted[candidates[k].0 as usize])
        .map(weight)
        .fold(0.0, f64::max);
    penalties.clear();
    penalties.extend((0..candidates.len()).map(|k| {
        if resolver.weighted[candidates[k].0 as usize] && heaviest > 0.0 {
            PRIOR_PER_DECADE * (weight(k) / heaviest).max(MIN_WEIGHT_RATIO).log10()
        } else {
            0.0
        }
    }));
}

/// The candidate with the most `score` less its prior penalty (from [`prior_penalties`]);
/// ties go to the larger weight, then to the lower entity id.
fn best(
    resolver: &Resolver,
    candidates: &[(EntityId, usize)],
    penalties: &[f64],
    score: impl Fn(usize) -> f64,
) -> usize {
    let weight = |k: usize| resolver.weights[candidates[k].0 as usize];
    let total = |k: usize| score(k) + penalties[k];
    let (mut best, mut best_total) = (0, total(0));
    for k in 1..candidates.len() {
        let t = total(k);
        if t > best_total || (t == best_total && weight(k) > weight(best)) {
            (best, best_total) = (k, t);
        }
    }
    best
}

/// The chosen candidate's share of its candidates' weights (an equal share without weights).
fn prior_share(resolver: &Resolver, candidates: &[(EntityId, usize)], chosen: usize) -> f64 {
    let total: f64 = candidates
        .iter()
        .map(|&(c, _)| resolver.weights[c as usize])
        .sum();
    if total > 0.0 {
        resolver.weights[candidates[chosen].0 as usize] / total
    } else {
        1.0 / candidates.len() as f64
    }
}

/// The first rule, in order, whose votes put the chosen candidate strictly ahead of the rest:
/// the mention's own pattern, context, document, then the group's (one sense), else the prior.
fn deciding_rule(own: &[Votes], group: &[Votes], chosen: usize, grouped: bool) -> Evidence {
    let ahead = |votes: &[Votes], of: fn(&Votes) -> f64| {
        let mine = of(&votes[chosen]);
        votes
            .iter()
            .enumerate()
            .all(|(k, v)| k == chosen || of(v) < mine)
    };
    if ahead(own, |v| v.pattern) {
        Evidence::Pattern
    } else if ahead(own, |v| v.context) {
        Evidence::Context
    } else if ahead(own, |v| v.document) {
        Evidence::Document
    } else if grouped && ahead(group, Votes::total) {
        Evidence::OneSense
    } else {
        Evidence::Prior
    }
}

/// Byte offsets of the code-point offsets that the rules look at, found in one walk that
/// counts the first bytes of characters a block at a time (news is rarely plain ASCII: one
/// curly quote is enough), or none where the text is known to be ASCII (then they are equal).
struct ByteOffsets {
    ascii: bool,
    chars: Vec<u64>,
    bytes: Vec<usize>,
}

impl ByteOffsets {
    fn new(text: &str, mut chars: Vec<u64>, ascii: bool) -> Self {
        if ascii {
            debug_assert!(text.is_ascii());
            return Self {
                ascii,
                chars: Vec::new(),
                bytes: Vec::new(),
            };
        }
        chars.sort_unstable();
        chars.dedup();
        let mut bytes = Vec::with_capacity(chars.len());
        let (mut at_char, mut at_byte) = (0u64, 0usize);
        for &target in &chars {
            at_byte = skip_chars(text.as_bytes(), at_byte, (target - at_char) as usize);
            at_char = target;
            bytes.push(at_byte);
        }
        Self {
            ascii,
            chars,
            bytes,
        }
    }

    fn of(&self, char_offset: u64) -> usize {
        if self.ascii {
            return char_offset as usize;
        }
        self.bytes[self
            .chars
            .binary_search(&char_offset)
            .expect("offsets of the mentions")]
    }
}

/// The byte offset `n` characters after `from` (a character boundary) in UTF-8 `bytes`, or
/// their end.
fn skip_chars(bytes: &[u8], from: usize, n: usize) -> usize {
    const BLOCK: usize = 32;
    let is_first = |b: u8| (b as i8) >= -0x40;
    let (mut at, mut left) = (from, n);
    while left > 0 && at < bytes.len() {
        if let Some(block) = bytes.get(at..at + BLOCK) {
            let firsts: usize = block.iter().map(|&b| usize::from(is_first(b))).sum();
            if firsts <= left {
                at += BLOCK;
                left -= firsts;
                continue;
            }
        }
        if is_first(bytes[at]) {
            left -= 1;
        }
        at += 1;
    }
    // Past the last character counted: on to the first byte of the next one.
    while at < bytes.len() && !is_first(bytes[at]) {
        at += 1;
    }
    at.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::skip_chars;

    #[test]
    fn skipping_characters_lands_where_char_indices_does() {
        let text = "a’b ".repeat(20) + "Тбілісі, Грузія — ça 😀 va ".repeat(5).as_str();
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (from_char, &from) in starts.iter().enumerate() {
            for n in [0, 1, 2, 5, 31, 32, 33, 100, 1000] {
                let expected = starts.get(from_char + n).copied().unwrap_or(text.len());
                assert_eq!(
                    skip_chars(text.as_bytes(), from, n),
                    expected,
                    "{from} + {n}"
                );
            }
        }
    }
}
