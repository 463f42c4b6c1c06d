"""Measure duplicate detection on the labelled mirror set (tests/fixtures/mirrors/).

    python bench/eval_duplicates.py

Every pair of labelled articles is a duplicate when both are in one group. Prints how
many duplicate pairs exact fingerprints and title keys find (and how many they wrongly
join), precision / recall / F1 of "similarity >= t or same fingerprint" for t from 0.30 to
0.95, the threshold with the best F1 (ties go to precision, a false duplicate hides a real
article; then to the higher threshold), the closest calls on either side of it, and how
many duplicate pairs LSH band keys return as candidates.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl import fingerprints  # noqa: E402

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "mirrors"
THRESHOLDS = [round(0.30 + 0.05 * step, 2) for step in range(14)]
CLOSEST_CALLS = 5


@dataclass(frozen=True)
class Pair:
    """Two labelled articles and what each key says about them."""

    left: str
    right: str
    duplicate: bool
    same_fingerprint: bool
    same_title: bool
    similarity: float
    shared_band: bool


@dataclass(frozen=True)
class Scores:
    threshold: float
    precision: float
    recall: float
    f1: float


def load_articles() -> list[dict]:
    """All labelled articles, in file order."""
    return [
        article
        for path in sorted(FIXTURES.glob("*.json"))
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]
    ]


def build_pairs(articles: list[dict]) -> list[Pair]:
    """Every unordered pair of articles, with its label and key comparisons."""
    keyed = []
    for article in articles:
        sig = fingerprints.signature(article["text"])
        keyed.append((
            article,
            fingerprints.text_fingerprint(article["text"]),
            fingerprints.title_key(article["title"]),
            sig,
            set(fingerprints.band_keys(sig)) if sig else set(),
        ))
    pairs = []
    for (a, fp_a, title_a, sig_a, bands_a), (b, fp_b, title_b, sig_b, bands_b) in itertools.combinations(keyed, 2):
        pairs.append(Pair(
            left=a["id"],
            right=b["id"],
            duplicate=a["group"] == b["group"],
            same_fingerprint=fp_a is not None and fp_a == fp_b,
            same_title=title_a is not None and title_a == title_b,
            similarity=fingerprints.similarity(sig_a, sig_b) if sig_a and sig_b else 0.0,
            shared_band=bool(bands_a & bands_b),
        ))
    return pairs


def score(pairs: list[Pair], predicted: list[bool], threshold: float = 0.0) -> Scores:
    """Precision, recall and F1 of ``predicted`` against the labels (1.0 when undefined)."""
    true_positives = sum(p and pair.duplicate for p, pair in zip(predicted, pairs))
    predicted_count = sum(predicted)
    actual_count = sum(pair.duplicate for pair in pairs)
    precision = true_positives / predicted_count if predicted_count else 1.0
    recall = true_positives / actual_count if actual_count else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(threshold, precision, recall, f1)


def near_duplicate_scores(pairs: list[Pair], threshold: float) -> Scores:
    """Scores of the rule "similarity >= threshold or same fingerprint"."""
    predicted = [pair.same_fingerprint or pair.similarity >= threshold for pair in pairs]
    return score(pairs, predicted, threshold)


def choose(sweep: list[Scores]) -> Scores:
    """Best F1; ties go to precision, then to the higher (more cautious) threshold."""
    return max(sweep, key=lambda s: (round(s.f1, 9), round(s.precision, 9), s.threshold))


def report_key(name: str, pairs: list[Pair], predicted: list[bool]) -> None:
    found = sum(p and pair.duplicate for p, pair in zip(predicted, pairs))
    wrong = sum(p and not pair.duplicate for p, pair in zip(predicted, pairs))
    s = score(pairs, predicted)
    print(f"{name:<18} {found:>4} duplicate pairs found, {wrong:>3} wrongly joined"
          f"  precision {s.precision:.3f}  recall {s.recall:.3f}")


def main() -> None:
    articles = load_articles()
    pairs = build_pairs(articles)
    duplicates = [pair for pair in pairs if pair.duplicate]
    print(f"{len(articles)} articles in {len({a['group'] for a in articles})} groups, "
          f"{len(pairs)} pairs, {len(duplicates)} duplicate pairs")
    print(f"shingles {fingerprints.SHINGLE_WORDS} words, num_perm {fingerprints.NUM_PERM}, "
          f"seed {fingerprints.SEED}, {fingerprints.BANDS} bands x {fingerprints.ROWS} rows\n")

    report_key("text_fingerprint", pairs, [pair.same_fingerprint for pair in pairs])
    report_key("title_key", pairs, [pair.same_title for pair in pairs])

    print("\nsimilarity >= t or same fingerprint")
    print("   t   precision  recall     F1")
    sweep = [near_duplicate_scores(pairs, t) for t in THRESHOLDS]
    for s in sweep:
        print(f"{s.threshold:5.2f}  {s.precision:9.3f} {s.recall:7.3f} {s.f1:7.3f}")
    chosen = choose(sweep)

    print(f"\nclosest calls (duplicates below, others above, threshold {chosen.threshold:.2f}):")
    weakest = sorted(duplicates, key=lambda pair: pair.similarity)[:CLOSEST_CALLS]
    strongest = sorted((p for p in pairs if not p.duplicate), key=lambda pair: -pair.similarity)[:CLOSEST_CALLS]
    for label, group in (("duplicate", weakest), ("different", strongest)):
        for pair in group:
            print(f"  {label:<9} {pair.similarity:.3f}  {pair.left}  ~  {pair.right}")

    above = [pair for pair in duplicates if pair.similarity >= chosen.threshold]
    retrieved = sum(pair.shared_band for pair in above)
    candidates = sum(pair.shared_band for pair in pairs)
    expected = 1 - (1 - chosen.threshold ** fingerprints.ROWS) ** fingerprints.BANDS
    print(f"\nLSH at t = {chosen.threshold:.2f}: {retrieved}/{len(above)} duplicate pairs at or above t "
          f"share a band key (recall {retrieved / len(above) if above else 1.0:.3f}; "
          f"{expected:.3f} expected for a pair exactly at t); "
          f"{candidates} of {len(pairs)} pairs are candidates")

    current = near_duplicate_scores(pairs, fingerprints.NEAR_DUPLICATE_THRESHOLD)
    print(f"\nchosen NEAR_DUPLICATE_THRESHOLD = {chosen.threshold:.2f}: precision {chosen.precision:.3f}, "
          f"recall {chosen.recall:.3f}, F1 {chosen.f1:.3f}")
    if chosen.threshold != fingerprints.NEAR_DUPLICATE_THRESHOLD:
        print(f"(the module sets {fingerprints.NEAR_DUPLICATE_THRESHOLD:.2f}: precision {current.precision:.3f}, "
              f"recall {current.recall:.3f})")


if __name__ == "__main__":
    main()
