import pytest

from newscrawl.blogger.footer import Footer, split_footer

ARTICLE = (
    "Jakarta - Harga cabai rawit di Pasar Induk Kramat Jati naik menjadi Rp 60.000 per kilogram.\n"
    "\n"
    "Kenaikan ini diperkirakan berlangsung hingga Lebaran, kata dia."
)


def no_footer(text: str) -> Footer:
    return Footer(text.rstrip(), None, None)


CASES = [
    # --- footers, shaped as autoblog mirrors print them ---------------------------------
    pytest.param(
        f"{ARTICLE}\n\n(prm)\n\nhttp://bit.ly/2UVp8x3\n\nApril 26, 2019 at 12:37AM",
        Footer(ARTICLE, "http://bit.ly/2UVp8x3", "April 26, 2019 at 12:37AM"),
        id="detik-initials-link-time",
    ),
    pytest.param(
        f"{ARTICLE} (rdp/rdp)\n\nhttps://detik.id/a1b2c3\nJanuary 3, 2019 at 09:05PM\n",
        Footer(ARTICLE, "https://detik.id/a1b2c3", "January 3, 2019 at 09:05PM"),
        id="initials-closing-the-last-sentence",
    ),
    pytest.param(
        f"{ARTICLE} (nwy/jat) https://bit.ly/2ZkQ1Yt\nApril 25, 2019 at 11:10PM",
        Footer(ARTICLE, "https://bit.ly/2ZkQ1Yt", "April 25, 2019 at 11:10PM"),
        id="link-glued-to-the-last-sentence",
    ),
    pytest.param(
        "Jakarta, Kompas.com - Skuad Timnas U-23 tiba di Jakarta, Kamis malam.\n\n"
        "Baca juga: Jadwal Uji Coba Timnas U-23\n\n"
        "Pelatih menyebut para pemain dalam kondisi baik.\n\n"
        "https://kom.ps/AFzkXy\n\nMay 02, 2018 at 10:15AM",
        Footer(
            "Jakarta, Kompas.com - Skuad Timnas U-23 tiba di Jakarta, Kamis malam.\n\n"
            "Baca juga: Jadwal Uji Coba Timnas U-23\n\n"
            "Pelatih menyebut para pemain dalam kondisi baik.",
            "https://kom.ps/AFzkXy",
            "May 02, 2018 at 10:15AM",
        ),
        id="kompas-no-initials",
    ),
    pytest.param(
        f"{ARTICLE}\n\nFebruary 14, 2019 at 07:45PM",
        Footer(ARTICLE, None, "February 14, 2019 at 07:45PM"),
        id="only-timestamp",
    ),
    pytest.param(
        f"{ARTICLE} (prm)\n\nDecember 24, 2018 at 12:05PM",
        Footer(ARTICLE, None, "December 24, 2018 at 12:05PM"),
        id="initials-and-timestamp",
    ),
    pytest.param(
        f"{ARTICLE}\n\nhttp://bit.ly/2UVp8x3",
        Footer(ARTICLE, "http://bit.ly/2UVp8x3", None),
        id="only-link",
    ),
    pytest.param(
        f"{ARTICLE}\n(han)\nhttps://ift.tt/2VR9AHV",
        Footer(ARTICLE, "https://ift.tt/2VR9AHV", None),
        id="initials-and-link",
    ),
    pytest.param(
        f"{ARTICLE}\n\n  \n  \nfrom Okezone Nasional https://ift.tt/385jMBt  \nvia IFTTT",
        Footer(ARTICLE, "https://ift.tt/385jMBt", None),
        id="default-recipe-from-feed-via-ifttt",
    ),
    pytest.param(
        f"{ARTICLE}\n\nfrom Berita Hari Ini | Liputan6.com https://ift.tt/2oDt46g",
        Footer(ARTICLE, "https://ift.tt/2oDt46g", None),
        id="default-recipe-without-signature",
    ),
    pytest.param(
        f"{ARTICLE}\n\n(Baca juga: Harga Bawang Ikut Naik)\n\nhttp://bit.ly/2UVp8x3\nApril 26, 2019 at 12:37AM",
        Footer(
            f"{ARTICLE}\n\n(Baca juga: Harga Bawang Ikut Naik)",
            "http://bit.ly/2UVp8x3",
            "April 26, 2019 at 12:37AM",
        ),
        id="baca-juga-is-not-initials",
    ),
    pytest.param(
        f"{ARTICLE} (AFP)\n\nhttp://bit.ly/2UVp8x3\nApril 26, 2019 at 12:37AM",
        Footer(f"{ARTICLE} (AFP)", "http://bit.ly/2UVp8x3", "April 26, 2019 at 12:37AM"),
        id="agency-credit-is-not-initials",
    ),
    pytest.param(
        "Ekonomi tumbuh 5,1 persen(yoy)\n\nhttp://bit.ly/2UVp8x3\nApril 26, 2019 at 12:37AM",
        Footer("Ekonomi tumbuh 5,1 persen(yoy)", "http://bit.ly/2UVp8x3", "April 26, 2019 at 12:37AM"),
        id="parentheses-glued-to-a-word-are-not-initials",
    ),
    # --- no footer: the text must come back whole ----------------------------------------
    pytest.param(
        "Data gempa dapat dilihat di https://www.bmkg.go.id/gempabumi setiap saat.\n\n"
        "Warga diminta tetap tenang, kata dia.",
        None,
        id="url-in-the-middle",
    ),
    pytest.param(
        f"{ARTICLE}\n\nInformasi lengkap di https://www.bmkg.go.id/gempabumi",
        None,
        id="url-closing-the-last-sentence",
    ),
    pytest.param(
        f"{ARTICLE}\n\nSumber:\nhttps://www.bmkg.go.id/gempabumi",
        None,
        id="link-introduced-by-the-article",
    ),
    pytest.param(
        f"{ARTICLE} (prm)",
        None,
        id="initials-without-link-or-time",
    ),
    pytest.param(
        f"{ARTICLE}\n\n(Baca juga: Harga Bawang Ikut Naik)",
        None,
        id="ends-with-parentheses",
    ),
    pytest.param(
        f"{ARTICLE}\n\nJune 17, 2018 at 9:30 PM",
        None,
        id="blogger-comment-time-is-not-ifttt",
    ),
    pytest.param(
        f"Gempa terjadi pada\nApril 26, 2019 at 12:37AM\nmenurut BMKG.\n\n{ARTICLE}",
        None,
        id="timestamp-shape-mid-article",
    ),
    pytest.param(
        f"{ARTICLE}\n\nvia IFTTT",
        None,
        id="signature-alone",
    ),
    pytest.param(f"{ARTICLE}\n\n \n", None, id="trailing-whitespace-only"),
    pytest.param("", None, id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_footer(text, expected):
    assert split_footer(text) == (expected or no_footer(text))
