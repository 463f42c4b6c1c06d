import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.fingerprints import (
    BANDS,
    MIN_WORDS,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    ROWS,
    band_keys,
    normalize_for_fingerprint,
    signature,
    similarity,
    text_fingerprint,
    title_key,
)

ROOT = Path(__file__).resolve().parents[1]
MIRRORS = ROOT / "tests" / "fixtures" / "mirrors"

# The figures stated next to NEAR_DUPLICATE_THRESHOLD (bench/eval_duplicates.py).
PRECISION_AT_LEAST = 1.0
RECALL_AT_LEAST = 1.0

BASE = (
    "Jakarta - Badan Pusat Statistik (BPS) mencatat inflasi pada April 2019 sebesar 0,44 persen "
    "secara bulanan. \"Inflasi April terutama disebabkan oleh kenaikan harga bawang merah, bawang "
    "putih, dan cabai merah,\" ujar Kepala BPS di Jakarta, Kamis (2/5/2019)."
)
OTHER = (
    "Bekasi - Timnas Indonesia U-23 meraih kemenangan 2-0 atas Myanmar dalam laga uji coba di "
    "Stadion Patriot Candrabhaga, Bekasi, Sabtu (27/4/2019) malam. Dua gol Garuda Muda seluruhnya "
    "tercipta pada babak kedua, lewat sundulan dan tendangan bebas."
)

# If this changes, signatures and band keys already stored are no longer comparable with
# new ones: a parameter, the hash function or datasketch's permutations changed.
GOLDEN_SIGNATURE_SHA1 = "be37097dbc59f484597cf6ff2477e0a271344485"


# --- normalize_for_fingerprint ---------------------------------------------------------------

NORMALIZE_CASES = [
    ("case folded", "Gempa GUNCANG Banten", "gempa guncang banten"),
    ("punctuation is a word break", "Jakarta,Senin (24/4) - BMKG:", "jakarta senin 24 4 bmkg"),
    ("straight and curly quotes", "\u201cSiap,\u201d katanya. \"Siap,\" katanya.", "siap katanya siap katanya"),
    ("apostrophe inside a word removed", "Jum'at Jum\u2019at don't", "jumat jumat dont"),
    ("decimal comma and point agree", "M 5,8 dan M 5.8", "m 5 8 dan m 5 8"),
    ("symbols removed, digits kept", "Rp 2.000 naik 3% (+1) \u00a9 2019", "rp 2 000 naik 3 1 2019"),
    ("whitespace collapsed", "  satu\n\n dua\t tiga  ", "satu dua tiga"),
    ("NFKC: full-width and ligatures", "\uff2a\uff41\uff4b\uff41\uff52\uff54\uff41 \ufb01nal", "jakarta final"),
    ("accents kept", "Caf\u00e9 Schr\u00f6dinger", "caf\u00e9 schr\u00f6dinger"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("case", "text", "expected"), NORMALIZE_CASES, ids=[c[0] for c in NORMALIZE_CASES])
def test_normalize_for_fingerprint(case, text, expected):
    assert normalize_for_fingerprint(text) == expected


# --- text_fingerprint ------------------------------------------------------------------------

SAME_TEXT = [
    ("identical", BASE),
    ("upper case", BASE.upper()),
    ("curly quotes", BASE.replace('"I', "\u201cI").replace(',"', ",\u201d")),
    ("extra spaces and line breaks", BASE.replace(". ", ".  \n\n").replace(" ", "  ")),
    ("punctuation dropped", re.sub(r"[^\w\s]", " ", BASE)),
    ("decimal point for comma", BASE.replace("0,44", "0.44")),
]
DIFFERENT_TEXT = [
    ("a number changed", BASE.replace("0,44", "0,45")),
    ("a word changed", BASE.replace("bawang merah", "bawang bombai")),
    ("a sentence added", BASE + " BPS mengingatkan pemerintah daerah."),
    ("another article", OTHER),
]


@pytest.mark.parametrize(("case", "text"), SAME_TEXT, ids=[c[0] for c in SAME_TEXT])
def test_fingerprint_ignores_case_punctuation_and_spacing(case, text):
    assert text_fingerprint(text) == text_fingerprint(BASE)


@pytest.mark.parametrize(("case", "text"), DIFFERENT_TEXT, ids=[c[0] for c in DIFFERENT_TEXT])
def test_fingerprint_differs_for_different_text(case, text):
    assert text_fingerprint(text) != text_fingerprint(BASE)


def test_fingerprint_format():
    assert re.fullmatch(r"sha1:[0-9a-f]{40}", text_fingerprint(BASE))


SHORT_TEXTS = [
    ("None", None),
    ("empty", ""),
    ("only spaces and punctuation", "  \n -- !!! \u201c\u201d "),
    ("a caption", "Ilustrasi gempa bumi. (Foto: Thinkstock)"),
    ("one word short", " ".join(["kata"] * (MIN_WORDS - 1))),
]


@pytest.mark.parametrize(("case", "text"), SHORT_TEXTS, ids=[c[0] for c in SHORT_TEXTS])
def test_short_text_has_no_fingerprint_or_signature(case, text):
    assert text_fingerprint(text) is None
    assert signature(text) is None


def test_min_words_is_enough():
    text = " ".join(f"kata{i}" for i in range(MIN_WORDS))
    assert text_fingerprint(text) is not None
    assert signature(text) is not None


# --- title_key -------------------------------------------------------------------------------

TITLE = "Gempa M 5,8 Guncang Pandeglang, Warga Berhamburan Keluar Rumah"
TITLE_VARIANTS = [
    ("bracketed VIDEO", "[VIDEO] " + TITLE),
    ("parenthesized FOTO", "(FOTO) " + TITLE),
    ("parenthesized mixed case", "(Video) " + TITLE),
    ("VIDEO colon", "VIDEO: " + TITLE),
    ("BREAKING colon", "BREAKING: " + TITLE),
    ("BREAKING NEWS colon", "BREAKING NEWS : " + TITLE),
    ("Video dash", "Video - " + TITLE),
    ("Video em dash", "Video \u2014 " + TITLE),
    ("FOTO colon", "FOTO: " + TITLE),
    ("Foto-foto colon", "Foto-foto: " + TITLE),
    ("INFOGRAFIS colon", "INFOGRAFIS: " + TITLE),
    ("INFOGRAFIS bracketed", "[INFOGRAFIS] " + TITLE),
    ("WATCH colon", "WATCH: " + TITLE),
    ("tag with a pipe", "VIDEO | " + TITLE),
    ("two tags", "[VIDEO] BREAKING: " + TITLE),
    ("full-width brackets and colon", "\uff3bVIDEO\uff3d " + TITLE),
    ("upper case", TITLE.upper()),
    ("lower case without punctuation", "gempa m 5 8 guncang pandeglang warga berhamburan keluar rumah"),
    ("decimal point and trailing marks", "Gempa M 5.8 Guncang Pandeglang, Warga Berhamburan Keluar Rumah!!"),
    ("extra spaces", "  Gempa M 5,8  Guncang Pandeglang,   Warga Berhamburan Keluar Rumah "),
]


@pytest.mark.parametrize(("case", "title"), TITLE_VARIANTS, ids=[c[0] for c in TITLE_VARIANTS])
def test_title_key_strips_mirror_tags(case, title):
    assert title_key(title) == "gempa m 5 8 guncang pandeglang warga berhamburan keluar rumah"


TITLE_KEYS = [
    ("speaker before a colon is not a tag", "Jokowi: Ekonomi Tumbuh 5 Persen", "jokowi ekonomi tumbuh 5 persen"),
    ("BPS colon kept after a tag", "INFOGRAFIS: BPS: Inflasi April 0,44 Persen", "bps inflasi april 0 44 persen"),
    ("tag word without a separator", "Video Viral Pria Tolak Ditilang", "video viral pria tolak ditilang"),
    ("hyphenated word is not a tag", "Video-video Lucu Jelang Lebaran", "video video lucu jelang lebaran"),
    ("a title that is only a tag", "[VIDEO]", "video"),
    ("UPDATE is part of the title", "UPDATE: Korban Gempa Bertambah", "update korban gempa bertambah"),
    ("English apostrophe", "Indonesia\u2019s Election Commission Begins Tally", "indonesias election commission begins tally"),
    ("None", None, None),
    ("empty", "", None),
    ("punctuation only", " -- ! ", None),
]


@pytest.mark.parametrize(("case", "title", "expected"), TITLE_KEYS, ids=[c[0] for c in TITLE_KEYS])
def test_title_key(case, title, expected):
    assert title_key(title) == expected


def test_title_keys_of_different_articles_differ():
    titles = [
        "Harga Emas Antam Hari Ini Naik Rp 2.000 per Gram",
        "Harga Emas Antam Hari Ini Turun Rp 1.000 per Gram",
        "BPS: Inflasi April 2019 Sebesar 0,44 Persen",
        "BPS: Inflasi Maret 2019 Sebesar 0,11 Persen",
        "[VIDEO] Gempa M 5,8 Guncang Pandeglang",
        "[VIDEO] Gempa M 5,8 Guncang Lebak",
    ]
    assert len({title_key(title) for title in titles}) == len(titles)


# --- signature, similarity, band_keys ---------------------------------------------------------

def test_signature_is_compact_bytes():
    sig = signature(BASE)
    assert isinstance(sig, bytes)
    assert len(sig) == NUM_PERM * 4


def test_signature_is_the_same_in_another_process():
    script = "import sys; from newscrawl.fingerprints import signature; print(signature(sys.argv[1]).hex())"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, BASE], env=env, capture_output=True, text=True, check=True, timeout=30
    )
    assert bytes.fromhex(done.stdout.strip()) == signature(BASE)


def test_signature_is_the_same_as_in_earlier_versions():
    assert hashlib.sha1(signature(BASE)).hexdigest() == GOLDEN_SIGNATURE_SHA1


def test_similarity_of_identical_text_is_one():
    assert similarity(signature(BASE), signature(BASE)) == 1.0
    assert similarity(signature(BASE), signature(BASE.upper())) == 1.0


def test_similarity_of_unrelated_text_is_low():
    assert similarity(signature(BASE), signature(OTHER)) < 0.2


def test_band_keys():
    keys = band_keys(signature(BASE))
    assert len(keys) == BANDS
    assert all(re.fullmatch(rf"b{band}:[0-9a-f]{{16}}", key) for band, key in enumerate(keys))
    assert band_keys(signature(BASE.upper())) == keys
    assert not set(keys) & set(band_keys(signature(OTHER)))


@pytest.mark.parametrize("bad", [b"", b"\x00" * 4, b"\x00" * (NUM_PERM * 8)])
def test_signature_of_another_size_is_rejected(bad):
    with pytest.raises(ValueError):
        band_keys(bad)
    with pytest.raises(ValueError):
        similarity(bad, signature(BASE))


def test_banding_finds_pairs_at_the_threshold():
    assert BANDS * ROWS <= NUM_PERM
    assert 1 - (1 - NEAR_DUPLICATE_THRESHOLD**ROWS) ** BANDS >= 0.98


# --- the labelled mirror set ------------------------------------------------------------------

def _load_mirrors() -> list[dict]:
    return [
        article
        for path in sorted(MIRRORS.glob("*.json"))
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]
    ]


@pytest.fixture(scope="module")
def labelled_pairs():
    """(duplicate, same fingerprint, similarity, share a band key) for every labelled pair."""
    keyed = []
    for article in _load_mirrors():
        sig = signature(article["text"])
        keyed.append((article["group"], text_fingerprint(article["text"]), sig, set(band_keys(sig))))
    return [
        (group_a == group_b, fp_a == fp_b, similarity(sig_a, sig_b), bool(bands_a & bands_b))
        for (group_a, fp_a, sig_a, bands_a), (group_b, fp_b, sig_b, bands_b) in itertools.combinations(keyed, 2)
    ]


def test_labelled_set_is_well_formed():
    articles = _load_mirrors()
    assert len({article["id"] for article in articles}) == len(articles)
    assert all(signature(article["text"]) is not None for article in articles)
    group_sizes = [sum(a["group"] == group for a in articles) for group in {a["group"] for a in articles}]
    assert sum(size >= 3 for size in group_sizes) >= 15


def test_labelled_duplicates_above_threshold_share_a_band_key(labelled_pairs):
    missed = [
        sim for duplicate, _, sim, shared in labelled_pairs
        if duplicate and sim >= NEAR_DUPLICATE_THRESHOLD and not shared
    ]
    assert missed == []


def test_precision_and_recall_on_labelled_set(labelled_pairs):
    predicted = [same_fp or sim >= NEAR_DUPLICATE_THRESHOLD for _, same_fp, sim, _ in labelled_pairs]
    actual = [duplicate for duplicate, *_ in labelled_pairs]
    true_positives = sum(p and a for p, a in zip(predicted, actual))
    assert true_positives / sum(predicted) >= PRECISION_AT_LEAST
    assert true_positives / sum(actual) >= RECALL_AT_LEAST
