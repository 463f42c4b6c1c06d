import pytest

from newscrawl.urls import (
    blog_host,
    canonicalize_url,
    site_base,
)

POST = "https://contoh.blogspot.com/2019/04/harga-cabai-naik.html"

CANONICALIZE_CASES = [
    ("already canonical", POST, POST),
    ("http becomes https", "http://contoh.blogspot.com/2019/04/harga-cabai-naik.html", POST),
    ("host lowercased", "https://Contoh.BlogSpot.com/2019/04/harga-cabai-naik.html", POST),
    ("scheme case", "HTTPS://contoh.blogspot.com/2019/04/harga-cabai-naik.html", POST),
    (
        "path case kept",
        "https://contoh.blogspot.com/2019/04/Harga.html",
        "https://contoh.blogspot.com/2019/04/Harga.html",
    ),
    (".blogspot.co.id alias", "https://contoh.blogspot.co.id/2019/04/harga-cabai-naik.html", POST),
    (".blogspot.de alias", "https://contoh.blogspot.de/2019/04/harga-cabai-naik.html", POST),
    (
        ".blogspot.com.br alias",
        "https://contoh.blogspot.com.br/2019/04/harga-cabai-naik.html",
        POST,
    ),
    (".blogspot.co.uk alias", "https://contoh.blogspot.co.uk/2019/04/harga-cabai-naik.html", POST),
    (".blogspot.in alias", "https://contoh.blogspot.in/2019/04/harga-cabai-naik.html", POST),
    ("mobile switch m=1", POST + "?m=1", POST),
    ("desktop switch m=0", POST + "?m=0", POST),
    ("m as an archive month kept", "https://x.com/?m=201904", "https://x.com/?m=201904"),
    ("showComment", POST + "?showComment=1556263200000", POST),
    ("showComment with fragment", POST + "?showComment=1556263200000#c123", POST),
    ("utm parameters", POST + "?utm_source=fb&utm_medium=social&utm_campaign=x", POST),
    ("upper-case utm parameter", POST + "?UTM_Source=fb", POST),
    ("fbclid", POST + "?fbclid=IwAR0abc", POST),
    ("gclid", POST + "?gclid=abc", POST),
    ("mailchimp ids", POST + "?mc_cid=a1&mc_eid=b2", POST),
    ("fragment dropped", POST + "#more", POST),
    (
        "remaining query sorted, trackers dropped",
        "https://x.com/search?q=banjir&utm_source=x&max-results=5&m=1",
        "https://x.com/search?max-results=5&q=banjir",
    ),
    ("default https port dropped", "https://x.com:443/a", "https://x.com/a"),
    ("default http port dropped on upgrade", "http://x.com:80/a", "https://x.com/a"),
    (
        "http on another port stays http",
        "http://127.0.0.1:8080/a.html?m=1",
        "http://127.0.0.1:8080/a.html",
    ),
    ("https on another port kept", "https://x.com:8443/a", "https://x.com:8443/a"),
    ("empty path is /", "http://x.com", "https://x.com/"),
    ("protocol-relative", "//contoh.blogspot.co.id/2019/04/harga-cabai-naik.html", POST),
    ("percent-encoding upper-cased", "https://x.com/%e2%82%ac", "https://x.com/%E2%82%AC"),
    ("unreserved character decoded", "https://x.com/%7Eberita", "https://x.com/~berita"),
    ("space encoded", "https://x.com/a b", "https://x.com/a%20b"),
    ("non-ASCII path encoded", "https://x.com/berita/café", "https://x.com/berita/caf%C3%A9"),
    ("IDNA host", "https://Bücher.de/a", "https://xn--bcher-kva.de/a"),
    ("credentials dropped", "https://user:pw@x.com/a", "https://x.com/a"),
    ("surrounding whitespace", "  https://x.com/a \n", "https://x.com/a"),
    ("file URL untouched", "file:///tmp/Page.html?m=1#x", "file:///tmp/Page.html?m=1#x"),
    ("mailto untouched", "mailto:redaksi@x.com", "mailto:redaksi@x.com"),
    ("relative path untouched", "/2019/04/a.html?m=1", "/2019/04/a.html?m=1"),
    ("garbage untouched", "  not a url ", "not a url"),
    ("bad IPv6 literal untouched", "http://[::1/a", "http://[::1/a"),
    ("bad port untouched", "http://x.com:99999/a", "http://x.com:99999/a"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("url", "expected"),
    [case[1:] for case in CANONICALIZE_CASES],
    ids=[case[0] for case in CANONICALIZE_CASES],
)
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize("url", [case[1] for case in CANONICALIZE_CASES])
def test_canonicalize_url_is_idempotent(url):
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


BLOG_HOST_CASES = [
    ("bare host", "contoh.blogspot.com", "contoh.blogspot.com"),
    ("upper case", "Contoh.BLOGSPOT.com", "contoh.blogspot.com"),
    ("co.id alias", "contoh.blogspot.co.id", "contoh.blogspot.com"),
    ("de alias", "contoh.blogspot.de", "contoh.blogspot.com"),
    ("com.br alias", "contoh.blogspot.com.br", "contoh.blogspot.com"),
    ("from a URL", "http://contoh.blogspot.co.id/2019/04/a.html?m=1", "contoh.blogspot.com"),
    ("www kept on a custom domain", "https://www.Berita-Kita.com/", "www.berita-kita.com"),
    ("m. kept", "https://m.berita.com/a", "m.berita.com"),
    ("default port dropped", "https://x.com:443/a", "x.com"),
    ("port dropped", "http://127.0.0.1:8080/feeds/posts/default", "127.0.0.1"),
    ("bare host with port", "localhost:8080", "localhost"),
    ("bare host with path", "contoh.blogspot.co.id/2019/04/a.html", "contoh.blogspot.com"),
    ("trailing dot", "x.com.", "x.com"),
    ("IDNA", "bücher.de", "xn--bcher-kva.de"),
    ("not a blogspot alias", "blogspot.com.example.org", "blogspot.com.example.org"),
    ("no host", "file:///tmp/a.html", ""),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [case[1:] for case in BLOG_HOST_CASES],
    ids=[case[0] for case in BLOG_HOST_CASES],
)
def test_blog_host(value, expected):
    assert blog_host(value) == expected


SITE_BASE_CASES = [
    ("https URL", "https://contoh.blogspot.co.id/2019/04/a.html", "https://contoh.blogspot.com"),
    ("http kept for a test mirror", "http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("http kept, host canonicalized", "HTTP://Contoh.Blogspot.DE/", "http://contoh.blogspot.com"),
    ("bare host means https", "contoh.blogspot.com", "https://contoh.blogspot.com"),
    (
        "protocol-relative means https",
        "//www.berita-kita.com/p/a.html",
        "https://www.berita-kita.com",
    ),
    ("default port dropped", "https://x.com:443", "https://x.com"),
    ("https on another port kept", "https://x.blogspot.de:8443/a", "https://x.blogspot.com:8443"),
]


@pytest.mark.parametrize(
    ("url", "expected"),
    [case[1:] for case in SITE_BASE_CASES],
    ids=[case[0] for case in SITE_BASE_CASES],
)
def test_site_base(url, expected):
    assert site_base(url) == expected


@pytest.mark.parametrize("url", ["file:///tmp/a.html", "ftp://x.com/", "", "http://[::1"])
def test_site_base_rejects_non_web_urls(url):
    with pytest.raises(ValueError):
        site_base(url)
