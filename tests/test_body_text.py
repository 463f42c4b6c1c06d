"""Table tests of the body-to-text walk (newscrawl.blogger.body_text)."""

import time

import pytest

from newscrawl.blogger.body_text import html_to_text

# --- html_to_text --------------------------------------------------------------------------

HTML_TO_TEXT_CASES = [
    ("paragraphs", "<p>Satu.</p><p>Dua.</p>", "Satu.\n\nDua."),
    ("br is a line break", "<p>Baris satu<br>baris dua</p>", "Baris satu\nbaris dua"),
    ("two br are a paragraph break", "Satu.<br><br>Dua.", "Satu.\n\nDua."),
    ("three br are still one blank line", "Satu.<br><br><br>Dua.", "Satu.\n\nDua."),
    (
        "Blogger body: text in the div, separated by <br />",
        '<div class="post-body entry-content" id="post-body-123">'
        "Jakarta - Paragraf pertama.<br />\n<br />\nParagraf kedua.<br />\n(prm)</div>",
        "Jakarta - Paragraf pertama.\n\nParagraf kedua.\n(prm)",
    ),
    ("nested divs are one paragraph break", "<div><div><p>A</p></div></div><div>B</div>", "A\n\nB"),
    ("source newlines are spaces", "<p>satu\n  dua\tTiga</p>", "satu dua Tiga"),
    (
        "inline elements keep their spaces",
        "<p>Kata <b>tebal</b> <i>miring</i>.</p>",
        "Kata tebal miring.",
    ),
    (
        "link text kept, URL not",
        '<p>Lihat <a href="http://bit.ly/x">sumber</a>.</p>',
        "Lihat sumber.",
    ),
    ("headings", "<h1>Judul</h1><h2>Sub</h2>Isi", "Judul\n\nSub\n\nIsi"),
    (
        "list items one per paragraph",
        "<ul>\n  <li>Satu</li>\n  <li>Dua</li>\n</ul>",
        "Satu\n\nDua",
    ),
    ("definition term and definition on lines", "<dl><dt>Kata</dt><dd>Arti</dd></dl>", "Kata\nArti"),
    ("br at the end of a list item", "<ol><li>Satu<br></li><li>Dua</li></ol>", "Satu\n\nDua"),
    (
        "blockquote",
        "Kata dia:<blockquote>Kutipan.</blockquote>Lalu.",
        "Kata dia:\n\nKutipan.\n\nLalu.",
    ),
    (
        "table rows and cells",
        "<table><tr><th>Nama</th><th>Suara</th></tr><tr><td>A</td><td>10</td></tr></table>",
        "Nama Suara\n\nA 10",
    ),
    (
        "figure caption",
        '<figure><img src="a.jpg"><figcaption>Foto: Antara</figcaption></figure>Teks',
        "Foto: Antara\n\nTeks",
    ),
    ("pre keeps its lines", "<pre>baris 1\nbaris 2</pre>", "baris 1\nbaris 2"),
    ("script dropped", "<p>A</p><script>var x = '<p>B</p>';</script><p>C</p>", "A\n\nC"),
    ("style dropped", "<style>p { color: red }</style><p>A</p>", "A"),
    (
        "noscript and template dropped",
        "<noscript>Aktifkan JS</noscript><template>T</template>A",
        "A",
    ),
    ("iframe dropped", '<iframe src="https://youtube.com/embed/x">video</iframe>A', "A"),
    ("video fallback text dropped", "<video>Your browser does not support video.</video>A", "A"),
    ("share button dropped", "A<button>Bagikan</button>", "A"),
    ("image dropped, alt not used", '<p>A<img src="x.jpg" alt="foto">B</p>', "AB"),
    ("comment dropped, its tail kept", "A<!-- iklan -->B", "AB"),
    ("entities decoded", "<p>Tom &amp; Jerry &quot;lucu&quot;</p>", 'Tom & Jerry "lucu"'),
    ("nbsp paragraphs are blank", "<p>A</p><p>&nbsp;</p><p>&nbsp;</p><p>B</p>", "A\n\nB"),
    ("whole document", "<html><head><title>T</title></head><body><p>A</p></body></html>", "A"),
    ("XML declaration", '<?xml version="1.0" encoding="utf-8"?><p>A</p>', "A"),
    ("unclosed tags", "<div><p>Satu <b>tebal<p>Dua", "Satu tebal\n\nDua"),
    ("stray closing tags", "</div></p>Teks<<<>", "Teks<<<>"),
    ("NUL byte", "A\x00B", "AB"),
    ("plain text", "hanya teks", "hanya teks"),
    ("empty", "", ""),
    ("whitespace only", "  \n ", ""),
    ("only a script", "<script>x()</script>", ""),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in HTML_TO_TEXT_CASES],
    ids=[case[0] for case in HTML_TO_TEXT_CASES],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


def test_html_to_text_is_fast_on_a_20kb_body():
    paragraph = (
        'Harga cabai rawit di <a href="/x">pasar tradisional</a> naik hingga '
        "Rp&nbsp;80.000 per kilogram menjelang <b>bulan Ramadan</b>.<br /><br />\n"
    )
    body = '<div class="post-body">' + paragraph * (20_000 // len(paragraph)) + "</div>"
    html_to_text(body)  # warm up
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        html_to_text(body)
    per_call = (time.perf_counter() - start) / runs
    # The target is well under 5 ms; the bound leaves room for a slow, shared CI machine.
    assert per_call < 0.015
