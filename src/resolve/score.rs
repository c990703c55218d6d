//! How the candidates of one mention are weighed: their votes, the prior's penalty for a weight
//! far below the heaviest candidate's, the best of them, its share of the prior, and the rule
//! that decided.

use super::{Evidence, Resolver};
use crate::lexicon::EntityId;

/// The prior, besides breaking ties: a candidate loses this many votes per factor of ten that
/// its weight falls below the heaviest candidate's (a town a thousand times smaller than the
/// country of the same name needs one and a half votes more), at most down to the ratio below.
const PRIOR_PER_DECADE: f64 = 0.5;
const MIN_WEIGHT_RATIO: f64 = 1e-6;

/// Evidence for one candidate of one mention.
#[derive(Clone, Copy, Default)]
pub(super) struct Votes {
    pub pattern: f64,
    pub context: f64,
    pub document: f64,
}

impl Votes {
    pub fn local(&self) -> f64 {
        self.pattern + self.context
    }

    pub fn total(&self) -> f64 {
        self.pattern + self.context + self.document
    }

    pub fn add(&mut self, other: &Votes) {
        self.pattern += other.pattern;
        self.context += other.context;
        self.document += other.document;
    }
}

/// Each candidate's penalty for a weight far below the heaviest candidate's (none without a
/// weight: nothing is known against it), added to `penalties`.
pub(super) fn prior_penalties(
    resolver: &Resolver,
    candidates: &[(EntityId, usize)],
    penalties: &mut Vec<f64>,
) {
    let weight = |k: usize| resolver.weights[candidates[k].0 as usize];
    let heaviest = (0..candidates.len())
        .filter(|&k| resolver.weighted[candidates[k].0 as usize])
        .map(weight)
        .fold(0.0, f64::max);
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
pub(super) fn best(
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
pub(super) fn prior_share(
    resolver: &Resolver,
    candidates: &[(EntityId, usize)],
    chosen: usize,
) -> f64 {
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
pub(super) fn deciding_rule(
    own: &[Votes],
    group: &[Votes],
    chosen: usize,
    grouped: bool,
) -> Evidence {
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
