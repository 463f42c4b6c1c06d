import py3langid
import pytest

from newscrawl.language import detect_language, normalize_language_code

INDONESIAN_NEWS = (
    "Jakarta - Presiden Joko Widodo meresmikan jalan tol baru di Jawa Tengah pada Jumat "
    "pagi. Menurut Menteri Pekerjaan Umum, proyek tersebut akan mempercepat arus logistik "
    "dan menurunkan biaya angkut barang."
)
INDONESIAN_CRIME = (
    "Polisi menangkap dua orang tersangka pencurian sepeda motor di kawasan Tanah Abang, "
    "Jakarta Pusat. Kedua pelaku kini ditahan di Polsek setempat untuk pemeriksaan lebih lanjut."
)
ENGLISH_NEWS = (
    "The central bank kept its benchmark interest rate unchanged on Thursday, citing stable "
    "inflation and a stronger rupiah, according to a statement released after the meeting."
)
MALAY_NEWS = (
    "Kerajaan Malaysia akan memperkenalkan beberapa langkah baharu bagi membantu peniaga "
    "kecil yang terjejas akibat pandemik, kata Perdana Menteri dalam satu kenyataan hari ini."
)
# Indonesian with no word that only Indonesian uses: the model ranks 'ms' first, 'id'
# close behind.
INDONESIAN_READ_AS_MALAY = (
    "Pemerintah akan memberikan bantuan kepada masyarakat yang terkena dampak banjir."
)
# Indonesian that the model puts far more under 'ms' than under 'id'.
INDONESIAN_FAR_FROM_ID = (
    "Presiden akan berkunjung ke Malaysia pekan depan untuk bertemu Perdana Menteri."
)
# The repost footer of an autoblog mirror: letters, but no language.
SHORT_LINKS = "http://bit.ly/2UVp8x3 http://bit.ly/abcdefgh http://goo.gl/xyzxyzxyz"

DETECT_CASES = [
    ("Indonesian politics", INDONESIAN_NEWS, None, "id"),
    ("Indonesian crime", INDONESIAN_CRIME, None, "id"),
    ("English", ENGLISH_NEWS, None, "en"),
    ("English on a page declared Indonesian", ENGLISH_NEWS, "id", "en"),
    ("Malay", MALAY_NEWS, None, "ms"),
    ("close ms/id call goes to id", INDONESIAN_READ_AS_MALAY, None, "id"),
    ("page declared ms keeps ms", INDONESIAN_READ_AS_MALAY, "ms", "ms"),
    ("far ms/id call stays ms", INDONESIAN_FAR_FROM_ID, None, "ms"),
    ("page declared id settles ms/id", INDONESIAN_FAR_FROM_ID, "id-ID", "id"),
    ("only the opening is scored", (INDONESIAN_NEWS + " ") * 12 + ENGLISH_NEWS * 60, None, "id"),
    ("short text gives the hint", "Bagikan Berita Ini", "id", "id"),
    ("short text without hint", "Bagikan Berita Ini", None, None),
    ("digits and symbols give the hint", "2019-04-26 12:37 +0700 #### 12345 !!!", "en", "en"),
    ("no linguistic content gives the hint", SHORT_LINKS, "id", "id"),
    ("None gives the normalized hint", None, "id-ID", "id"),
    ("withdrawn hint code", None, "in", "id"),
    ("empty text", "", "en-US", "en"),
]


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [case[1:] for case in DETECT_CASES],
    ids=[case[0] for case in DETECT_CASES],
)
def test_detect_language(text, hint, expected):
    assert detect_language(text, hint=hint) == expected


@pytest.mark.parametrize(
    "text", [INDONESIAN_READ_AS_MALAY, INDONESIAN_FAR_FROM_ID], ids=["close", "far"]
)
def test_model_ranks_malay_first_for_the_ms_id_cases(text):
    # Guards the two cases above: they only test the ms -> id rule while the bundled
    # model still puts 'ms' first for them.
    assert py3langid.classify(text)[0] == "ms"


def test_no_linguistic_content_case_reaches_the_model():
    # Guards the short-link case: it has enough letters to be scored.
    assert sum(char.isalpha() for char in SHORT_LINKS) >= 20
    assert py3langid.classify(SHORT_LINKS)[0] == "zxx"


LANGUAGE_CODE_CASES = [
    ("id", "id"),
    ("id-ID", "id"),
    ("EN_us", "en"),
    ("en-GB", "en"),
    ("in", "id"),
    ("iw", "he"),
    ("zh-Hant-TW", "zh"),
    (" ms ", "ms"),
    ("ace", "ace"),
    ("x-default", None),
    ("1d", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("code", "expected"), LANGUAGE_CODE_CASES)
def test_normalize_language_code(code, expected):
    assert normalize_language_code(code) == expected
