"""Fingerprints that recognise one outlet article across its autoblog mirrors.

Mirrors repost the same article with small differences: a tagged or re-cased title, a
"Baca juga" line, a photo caption, a template sentence, a trimmed last paragraph. Three
keys, all pure functions of the cleaned text, catch them at increasing cost:

* ``text_fingerprint``: the same words in the same order once case, punctuation, quotes and
  spacing are ignored (one hash lookup);
* ``signature`` + ``band_keys`` + ``similarity``: MinHash over word shingles for mirrors that
  added or dropped a few lines. A store indexes the band keys, fetches the posts sharing a
  key as candidates and confirms each with ``similarity(...) >= NEAR_DUPLICATE_THRESHOLD``;
* ``title_key``: the title without the mirror's "[VIDEO]" / "FOTO:" tags, a weaker hint
  (two outlets can give one event the same title).

Signatures are stored, so every parameter that shapes them is a module constant here:
changing any of them makes old signatures and band keys incomparable with new ones.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np
import regex
from datasketch import MinHash

__all__ = [
    "BANDS",
    "MIN_WORDS",
    "MINHASH_SCHEME",
    "NEAR_DUPLICATE_THRESHOLD",
    "NUM_PERM",
    "ROWS",
    "SEED",
    "SHINGLE_WORDS",
    "band_keys",
    "normalize_for_fingerprint",
    "signature",
    "similarities",
    "similarity",
    "text_fingerprint",
    "text_keys",
    "title_key",
]

# A text needs this many words (after normalization) to get a fingerprint or signature.
# Shorter texts are mostly teasers, captions and template lines: two of them being equal
# says little about the articles behind them.
MIN_WORDS = 25

# Word 5-grams. A mirror changes whole lines (an inserted caption, a trimmed paragraph),
# which costs about as many shingles as the line has words whatever the shingle size; two
# articles from one daily template differ in scattered numbers, each costing SHINGLE_WORDS
# shingles. On the labelled set, 5 words instead of 3 leave the weakest mirror pair as
# similar (exact Jaccard 0.66 against 0.67) but cut the closest pair of different articles
# (two days of one gold-price template) from 0.63 to 0.50.
SHINGLE_WORDS = 5

# 128 hash functions estimate a Jaccard of 0.6 with a standard error of about 0.04; on the
# labelled pairs above 0.2 the estimate was within 0.08 of the exact value.
NUM_PERM = 128

# Seeds the permutations; any fixed value works, but it must never change.
SEED = 20190426

# datasketch's "affine32" permutations (the library default since 2.0.0), named here so a
# change of that default cannot silently change the signatures in a store. Each value is
# a uint32, so a signature is NUM_PERM * 4 bytes.
MINHASH_SCHEME = "affine32"
_VALUE = np.dtype("<u4")
_SIGNATURE_BYTES = NUM_PERM * _VALUE.itemsize

# Chosen by bench/eval_duplicates.py on tests/fixtures/mirrors/ (67 articles, 2211 pairs,
# 74 duplicate pairs) for the rule "similarity >= threshold or same text_fingerprint": the
# best F1 of the sweep 0.30, 0.35, ... 0.95, ties going to precision and then to the higher
# threshold, because merging two different articles hides one of them while a missed mirror
# only leaves a duplicate. Measured at 0.60: precision 1.000, recall 1.000 (F1 1.000).
# Every threshold from 0.45 to 0.60 scores the same there: the closest different articles
# (two days of one gold-price template) estimate 0.445, the weakest mirror pairs (a trimmed
# and a captioned copy of one short flood report; one brief under two mirror templates) 0.625.
NEAR_DUPLICATE_THRESHOLD = 0.60

# LSH banding: a pair shares at least one band key with probability 1 - (1 - s**ROWS)**BANDS
# for Jaccard s. With 32 bands of 4 rows that is 0.988 at the threshold 0.60, 0.229 at
# s = 0.3 and 0.05 at s = 0.2. Four is the most rows that keeps 0.98 at the threshold
# (5 rows of 25 bands give 0.868), and more rows mean fewer chance candidates to confirm.
BANDS = 32
ROWS = 4

# Apostrophes sit inside words (Jum'at, don't) and mirrors drop or curl them, so they are
# deleted rather than turned into a word break like other punctuation.
_APOSTROPHES = str.maketrans("", "", "'`\u00b4\u2018\u2019\u02bc")

# Tags that mirrors put before a title: any short bracketed prefix ("[VIDEO]", "(Foto)"),
# or one of these words before a colon, pipe or spaced dash. Other words before a colon
# are kept: "Jokowi: ..." is a title that quotes a speaker.
_TITLE_TAG_WORDS = (
    r"video",
    r"foto(?:-foto)?",
    r"photos?",
    r"galeri(?: foto)?",
    r"gallery",
    r"infografis",
    r"breaking(?: news)?",
    r"eksklusif",
    r"exclusive",
    r"viral",
    r"watch",
)
_TITLE_TAG = re.compile(
    r"\s*(?:"
    r"[\[(][^\])]{1,30}[\])]\s*[:|]?"  # [VIDEO] (FOTO) [Update]: ...
    rf"|(?:{'|'.join(_TITLE_TAG_WORDS)})\s*[:|]"  # VIDEO: FOTO | ...
    rf"|(?:{'|'.join(_TITLE_TAG_WORDS)})\s+[-\u2013\u2014]"  # Video - ... (not "Video-video")
    r")\s*",
    re.IGNORECASE,
)


# General categories P* and S*; the stdlib `re` has no \p{...} classes, `regex` (already
# installed for dateparser) does, and one C-level substitution beats a per-character loop.
_PUNCTUATION_OR_SYMBOL = regex.compile(r"[\p{P}\p{S}]")


def normalize_for_fingerprint(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces.

    NFKC and case folding make width, ligature and case variants equal; punctuation and
    symbols become spaces (so "5,8" and "5.8", straight and curly quotes, or a dash with or
    without spaces compare equal); digits are kept, because numbers tell apart articles
    written from one template (prices, scores, casualty counts).
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join(_PUNCTUATION_OR_SYMBOL.sub(" ", folded).split())


def _words(text: str | None) -> list[str] | None:
    """Normalized words of ``text``, or None when there are too few to compare."""
    words = normalize_for_fingerprint(text or "").split()
    return words if len(words) >= MIN_WORDS else None


def text_fingerprint(text: str | None) -> str | None:
    """Exact-duplicate key: 'sha1:<hex>' of the normalized text, None when it is too short."""
    words = _words(text)
    return _fingerprint(words) if words is not None else None


def text_keys(text: str | None) -> tuple[str | None, bytes | None]:
    """``text_fingerprint(text)`` and ``signature(text)`` from one normalization of the text."""
    words = _words(text)
    if words is None:
        return None, None
    return _fingerprint(words), _signature(words)


def _fingerprint(words: list[str]) -> str:
    return "sha1:" + hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def title_key(title: str | None) -> str | None:
    """Normalized title without leading mirror tags ("[VIDEO] ", "FOTO: ", "Video - ").

    A title that is nothing but a tag keeps it, so "[VIDEO]" alone still has a key.
    None for an empty title.
    """
    title = unicodedata.normalize("NFKC", title or "").strip()
    while (match := _TITLE_TAG.match(title)) and match.end() < len(title):
        title = title[match.end():]
    return normalize_for_fingerprint(title) or None


def signature(text: str | None) -> bytes | None:
    """MinHash signature of the text's word shingles: NUM_PERM little-endian uint32 values.

    The same text gives the same bytes in every process (the permutations come from SEED
    and the shingles are hashed with SHA-1, not Python's salted ``hash``). None when the
    text is too short to compare.
    """
    words = _words(text)
    return _signature(words) if words is not None else None


def _signature(words: list[str]) -> bytes:
    shingles = {
        " ".join(words[start:start + SHINGLE_WORDS]).encode("utf-8")
        for start in range(len(words) - SHINGLE_WORDS + 1)
    }
    minhash = _minhash()
    minhash.clear()
    minhash.update_batch(shingles)
    return minhash.hashvalues.astype(_VALUE).tobytes()


def _sha1_hash32(data: bytes) -> int:
    """datasketch's ``sha1_hash32`` (the first 4 bytes of SHA-1, little-endian), without its
    ``struct`` call: the same values (a golden signature in the tests holds them), and the
    hash is most of a signature's cost."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


@lru_cache(maxsize=1)
def _minhash() -> MinHash:
    """One MinHash, cleared before each text: drawing the SEED's permutations and building the
    object were most of a small MinHash's cost. The crawl runs on one thread."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_sha1_hash32, scheme=MINHASH_SCHEME)


def _values(sig: bytes) -> np.ndarray:
    """The hash values of a signature; ValueError when it is not NUM_PERM values long."""
    if len(sig) != _SIGNATURE_BYTES:
        raise ValueError(f"signature is {len(sig)} bytes, expected {_SIGNATURE_BYTES}")
    return np.frombuffer(sig, dtype=_VALUE)


def band_keys(sig: bytes) -> list[str]:
    """LSH keys 'b<band>:<hash>', one per band of ROWS values.

    Two signatures that share any key are candidate near duplicates.
    """
    values = _values(sig)
    return [
        f"b{band}:" + hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for band in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets: the share of equal values."""
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def similarities(sig: bytes, others: list[bytes]) -> list[float]:
    """``similarity(sig, other)`` for each of ``others``, in one array operation."""
    if not others:
        return []
    for other in others:
        if len(other) != _SIGNATURE_BYTES:
            _values(other)  # raises similarity's ValueError
    matrix = np.frombuffer(b"".join(others), dtype=_VALUE).reshape(len(others), NUM_PERM)
    return (np.count_nonzero(matrix == _values(sig), axis=1) / NUM_PERM).tolist()
