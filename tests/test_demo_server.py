"""The Blogger emulator itself: what it serves, through which kind of request, and its faults.

The server runs in-process on 127.0.0.1; requests go through it as a proxy (plain and CONNECT,
as the crawler sends them) or straight to it (the wildcard "custom domain" blog), using only the
standard library as the client.
"""

from __future__ import annotations

import functools
import http.client
import json
import re
import signal
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from newscrawl.demo.server import serve

ROOT = Path(__file__).resolve().parents[1]
BLOG_ID = "1234567890123456789"
HOST = "kabar-satu.blogspot.com"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Published 2019-01-01 08:00 +07:00 onwards, one every 90 minutes; updated a few minutes later.
GENERATED = {"count": 23, "seed": 4, "with_source": True}
HAND_POSTS = [
    {
        "post_id": "1111111111111111111",
        "slug": "banjir-rob-genangi-pesisir",
        "title": "Banjir Rob Genangi Pesisir Semarang",
        "published": "2019-04-26T07:37:00+07:00",
        "updated": "2019-04-26T08:00:00+07:00",
        "author": "Redaksi",
        "labels": ["Regional", "Cuaca"],
        "html": "<p>Banjir rob kembali menggenangi kawasan pesisir Semarang.</p><p>Warga mengungsi.</p>",
        "source": {"initials": "prm", "url": "http://bit.ly/2UVp8x3", "time": "April 26, 2019 at 12:37AM"},
        "images": ["https://1.bp.blogspot.com/-a/b/s1600/banjir.jpg"],
    },
    {
        # Old post edited much later: first when ordered by update time.
        "post_id": "2222222222222222222",
        "slug": "harga-cabai-naik",
        "title": "Harga Cabai Naik Jelang Ramadan",
        "published": "2019-04-25T19:05:00+07:00",
        "updated": "2019-05-02T10:00:00+07:00",
        "labels": ["Ekonomi"],
        "html": "<p>" + "Harga cabai rawit di pasar tradisional naik dua kali lipat. " * 10 + "</p>",
    },
]
TOTAL = GENERATED["count"] + len(HAND_POSTS)

CONFIG = {"blogs": [
    {"host": HOST, "blog_id": BLOG_ID, "title": "Kabar Satu", "aliases": ["kabar-satu.blogspot.co.id"],
     "max_results_cap": 10, "posts": HAND_POSTS, "generate": GENERATED,
     "faults": [
         {"match": "probe=busy", "kind": "status", "status": 503, "headers": {"Retry-After": "2"}, "times": 2},
         {"match": "probe=drop", "kind": "drop", "times": -1},
         {"match": "probe=truncate", "kind": "truncate"},
         {"match": "probe=invalid", "kind": "invalid", "times": -1},
         {"match": "harga-cabai-naik.html?probe=listing", "kind": "not_post", "times": -1},
         {"match": "probe=controls", "kind": "control_chars", "times": -1},
         {"match": "probe=home", "kind": "home_page", "times": -1},
         {"match": "probe=charset", "kind": "charset", "times": -1},
         {"match": "probe=padding", "kind": "padding", "megabytes": 2, "times": -1},
         {"match": "probe=laughs", "kind": "billion_laughs", "times": -1},
         {"match": "probe=xxe", "kind": "external_entity", "times": -1},
     ]},
    {"host": "ringkas.blogspot.com", "feeds": "summary", "total_results": False, "next_links": False,
     "posts": HAND_POSTS, "generate": {"count": 5}},
    {"host": "mati.blogspot.com", "feeds": "disabled", "posts": HAND_POSTS},
    {"host": "larang.blogspot.com", "feeds": "forbidden", "posts": HAND_POSTS},
    {"host": "atom-saja.blogspot.com", "refuse_formats": ["json"], "posts": HAND_POSTS},
    {"host": "*", "language": "en", "tz_offset": "-04:00", "feeds": "disabled", "sitemap_page_size": 4,
     "generate": {"count": 10, "seed": 1}},
]}


@pytest.fixture(scope="module")
def mirror():
    server, port = serve(CONFIG)
    yield port
    server.shutdown()
    server.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@functools.cache
def unverified_tls() -> ssl.SSLContext:
    """The mirror's certificates are self-signed: check nothing, as the crawler does."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def fetch(port: int, url: str) -> tuple[int, dict, bytes]:
    """GET url through the mirror as a proxy: absolute-form for http, CONNECT for https."""
    proxy = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy}),
        urllib.request.HTTPSHandler(context=unverified_tls()),
        NoRedirect,
    )
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def direct(port: int, path: str) -> tuple[int, bytes]:
    """GET path from the mirror itself (origin-form, Host 127.0.0.1:port)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def json_feed(port: int, query: str, host: str = HOST, kind: str = "default") -> dict:
    status, headers, body = fetch(port, f"https://{host}/feeds/posts/{kind}?alt=json&{query}")
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    return json.loads(body)["feed"]


def post_ids(feed: dict) -> list[str]:
    return [entry["id"]["$t"].rsplit(".post-", 1)[1] for entry in feed.get("entry", [])]


def link(node: dict, rel: str) -> str | None:
    return next((item["href"] for item in node["link"] if item["rel"] == rel), None)


# --- feeds ---------------------------------------------------------------------------------

def test_json_feed_pages_are_capped_counted_and_end_without_entries(mirror):
    first = json_feed(mirror, "max-results=50")
    assert len(first["entry"]) == 10  # the blog's cap, not the 50 asked for
    assert first["openSearch$totalResults"]["$t"] == str(TOTAL)
    assert first["openSearch$startIndex"]["$t"] == "1"
    assert first["openSearch$itemsPerPage"]["$t"] == "10"
    assert link(first, "next") == (f"https://www.blogger.com/feeds/{BLOG_ID}/posts/default"
                                   "?alt=json&start-index=11&max-results=10")
    assert first["id"]["$t"] == f"tag:blogger.com,1999:blog-{BLOG_ID}"

    last = json_feed(mirror, "start-index=21&max-results=10")
    assert len(last["entry"]) == TOTAL - 20
    assert link(last, "next") is None
    past_the_end = json_feed(mirror, f"start-index={TOTAL + 1}")
    assert "entry" not in past_the_end and past_the_end["openSearch$totalResults"]["$t"] == str(TOTAL)

    pages = [post_ids(json_feed(mirror, f"start-index={start}&max-results=10")) for start in (1, 11, 21)]
    every = [post_id for page in pages for post_id in page]
    assert len(every) == len(set(every)) == TOTAL
    published = [e["published"]["$t"] for s in (1, 11, 21) for e in json_feed(mirror, f"start-index={s}")["entry"]]
    assert published == sorted(published, reverse=True)


def test_json_entry_has_blogger_shape(mirror):
    [entry] = json_feed(mirror, "max-results=1")["entry"]
    assert entry["id"]["$t"] == f"tag:blogger.com,1999:blog-{BLOG_ID}.post-1111111111111111111"
    assert entry["published"]["$t"] == "2019-04-26T07:37:00.000+07:00"
    assert entry["updated"]["$t"] == "2019-04-26T08:00:00.000+07:00"
    assert [c["term"] for c in entry["category"]] == ["Regional", "Cuaca"]
    assert link(entry, "alternate") == f"https://{HOST}/2019/04/banjir-rob-genangi-pesisir.html"
    assert entry["author"][0]["name"]["$t"] == "Redaksi"
    assert entry["media$thumbnail"]["url"] == "https://1.bp.blogspot.com/-a/b/s72-c/banjir.jpg"
    content = entry["content"]["$t"]
    assert content.index("Warga mengungsi.") < content.index("(prm)") < content.index("http://bit.ly/2UVp8x3")
    assert content.endswith("\nApril 26, 2019 at 12:37AM")


def test_published_window_is_min_inclusive_max_exclusive(mirror):
    # Generated posts: 2019-01-01 08:00, 09:30, 11:00, 12:30, ... (+07:00).
    feed = json_feed(mirror, "published-min=2019-01-01T09:30:00%2B07:00&published-max=2019-01-01T12:30:00%2B07:00")
    assert [e["published"]["$t"][:19] for e in feed["entry"]] == ["2019-01-01T11:00:00", "2019-01-01T09:30:00"]
    assert feed["openSearch$totalResults"]["$t"] == "2"
    # Bounds equal to a post's own time: min keeps it, max leaves it out.
    exact = json_feed(mirror, "published-min=2019-04-25T19:05:00%2B07:00&published-max=2019-04-26T07:37:00%2B07:00")
    assert post_ids(exact) == ["2222222222222222222"]
    # A date alone means midnight in the blog's offset; '+' sent unencoded arrives as a space.
    assert post_ids(json_feed(mirror, "published-min=2019-04-26")) == ["1111111111111111111"]
    assert len(json_feed(mirror, "published-min=2019-04-25T19:05:00+07:00")["entry"]) == 2


def test_updated_min_only_applies_when_ordered_by_update(mirror):
    by_update = json_feed(mirror, "orderby=updated&updated-min=2019-04-26T00:00:00%2B07:00")
    assert post_ids(by_update) == ["2222222222222222222", "1111111111111111111"]
    ignored = json_feed(mirror, "updated-min=2019-04-26T00:00:00%2B07:00&max-results=10")
    assert len(ignored["entry"]) == 10 and ignored["openSearch$totalResults"]["$t"] == str(TOTAL)
    assert post_ids(ignored)[:2] == ["1111111111111111111", "2222222222222222222"]


def test_atom_and_rss_carry_the_same_entries_as_json(mirror):
    expected = post_ids(json_feed(mirror, "max-results=5"))
    status, headers, body = fetch(mirror, f"https://{HOST}/feeds/posts/default?max-results=5")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=UTF-8"
    atom = ET.fromstring(body)
    assert [e.findtext(f"{ATOM}id").rsplit(".post-", 1)[1] for e in atom.iter(f"{ATOM}entry")] == expected
    assert atom.findtext("{http://a9.com/-/spec/opensearchrss/1.0/}totalResults") == str(TOTAL)
    assert any(link.get("rel") == "next" for link in atom.findall(f"{ATOM}link"))

    status, headers, body = fetch(mirror, f"http://{HOST}/feeds/posts/default?alt=rss&max-results=5")
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    items = ET.fromstring(body).findall("channel/item")
    assert [item.findtext("guid").rsplit(".post-", 1)[1] for item in items] == expected
    assert items[0].findtext("pubDate") == "Fri, 26 Apr 2019 00:37:00 +0000"
    assert "(prm)" in items[0].findtext("description")


def test_json_in_script_wraps_the_feed_in_the_callback(mirror):
    status, headers, body = fetch(mirror, f"https://{HOST}/feeds/posts/default?alt=json-in-script&callback=showPosts")
    text = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/javascript; charset=UTF-8"
    assert text.startswith("// API callback\nshowPosts(") and text.endswith(");")
    feed = json.loads(text[len("// API callback\nshowPosts("):-2])["feed"]
    assert len(feed["entry"]) == 10


def test_summary_feeds_have_no_content(mirror):
    summary_blog = json_feed(mirror, "max-results=3", host="ringkas.blogspot.com")
    summary_path = json_feed(mirror, "max-results=3", kind="summary")
    for feed in (summary_blog, summary_path):
        assert all("content" not in e and e["summary"]["type"] == "text" for e in feed["entry"])
    cabai = next(e for e in summary_path["entry"] if "2222222222222222222" in e["id"]["$t"])["summary"]["$t"]
    assert "<p>" not in cabai and cabai.endswith(" ...") and len(cabai) <= 205
    # This blog also hides totalResults and next links: clients must page by what came back.
    assert "openSearch$totalResults" not in summary_blog and link(summary_blog, "next") is None


def test_feeds_switched_off_or_refused(mirror):
    assert fetch(mirror, "https://mati.blogspot.com/feeds/posts/default?alt=json")[0] == 404
    assert fetch(mirror, "https://mati.blogspot.com/atom.xml")[0] == 404
    assert fetch(mirror, "https://mati.blogspot.com/sitemap.xml")[0] == 200  # pages and sitemaps stay up
    assert fetch(mirror, "https://larang.blogspot.com/feeds/posts/default")[0] == 403
    status, headers, body = fetch(mirror, "https://atom-saja.blogspot.com/feeds/posts/default?alt=json")
    assert status == 400 and headers["Content-Type"].startswith("text/html") and b"Error 400" in body
    assert fetch(mirror, "https://atom-saja.blogspot.com/feeds/posts/default?alt=json-in-script")[0] == 400
    assert fetch(mirror, "https://atom-saja.blogspot.com/feeds/posts/default")[0] == 200


def test_feed_links_to_www_blogger_com_are_served(mirror):
    next_url = link(json_feed(mirror, "max-results=10"), "next")
    status, _, body = fetch(mirror, next_url)
    assert status == 200
    assert json.loads(body)["feed"]["openSearch$startIndex"]["$t"] == "11"


# --- hosts, redirects, robots, sitemaps ---------------------------------------------------

def test_alias_redirects_to_the_blogspot_com_host(mirror):
    status, headers, _ = fetch(mirror, "http://kabar-satu.blogspot.co.id/2019/04/harga-cabai-naik.html?m=1")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/2019/04/harga-cabai-naik.html?m=1"


def test_unknown_host(mirror):
    status, headers, body = fetch(mirror, "http://nobody.blogspot.com/")
    assert (status, body) == (404, b"no such blog")
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"


def test_default_robots_txt(mirror):
    status, headers, body = fetch(mirror, f"https://{HOST}/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert body.decode() == (
        "User-agent: Mediapartners-Google\nDisallow: \n\n"
        "User-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: https://{HOST}/sitemap.xml\n"
    )


def test_sitemap_index_children_cover_every_post_once(mirror):
    status, index = direct(mirror, "/sitemap.xml")
    assert status == 200
    children = [loc.text for loc in ET.fromstring(index).iter(f"{SITEMAP}loc")]
    assert children == [f"http://127.0.0.1:{mirror}/sitemap.xml?page={n}" for n in (1, 2, 3)]
    urls, lastmods = [], []
    for child in children:
        status, body = direct(mirror, child.split(str(mirror), 1)[1])
        assert status == 200
        root = ET.fromstring(body)
        assert root.tag == f"{SITEMAP}urlset"
        urls += [loc.text for loc in root.iter(f"{SITEMAP}loc")]
        lastmods += [lastmod.text for lastmod in root.iter(f"{SITEMAP}lastmod")]
    assert len(urls) == len(set(urls)) == 10
    assert all(re.fullmatch(rf"http://127\.0\.0\.1:{mirror}/\d{{4}}/\d{{2}}/[a-z0-9-]+\.html", url) for url in urls)
    assert all(lastmod.endswith("Z") for lastmod in lastmods)
    status, pages = direct(mirror, "/sitemap-pages.xml")
    static = [loc.text for loc in ET.fromstring(pages).iter(f"{SITEMAP}loc")]
    assert static == [f"http://127.0.0.1:{mirror}/p/about.html"]


# --- pages ---------------------------------------------------------------------------------

def page_data(html: str) -> str:
    start = html.index("_WidgetManager._SetDataContext(")
    return html[start:html.index("\n", start)]


def test_post_page_carries_page_data_and_the_post(mirror):
    url = f"https://{HOST}/2019/04/banjir-rob-genangi-pesisir.html"
    status, headers, body = fetch(mirror, url + "?m=1")
    html = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=UTF-8"
    assert f"<link href='{url}' rel='canonical'/>" in html
    data = page_data(html)
    assert f"'blogId': '{BLOG_ID}'" in data and "'postId': '1111111111111111111'" in data
    assert "'pageType': 'item'" in data and f"'canonicalUrl': '{url}'" in data
    assert "<span>Jumat, 26 April 2019</span>" in html
    assert "<abbr class='published' itemprop='datePublished' title='2019-04-26T07:37:00+07:00'>" in html
    body_start = html.index("id='post-body-1111111111111111111'")
    body_end = html.index("<div class='post-footer'>")
    assert body_start < html.index("Warga mengungsi.", body_start) < body_end
    for clutter in ("Bagikan Berita Ini", "Baca juga", "0 Response to", "Post a Comment", "Berita Populer"):
        assert body_end < html.index(clutter), clutter


def test_listing_and_error_pages_say_what_they_are(mirror):
    html = fetch(mirror, f"https://{HOST}/")[2].decode()
    assert "'pageType': 'index'" in page_data(html)
    assert f"href='https://{HOST}/search?updated-max=" in html and "class='post-body" not in html
    assert "'pageType': 'archive'" in page_data(fetch(mirror, f"https://{HOST}/2019/01/")[2].decode())
    status, _, body = fetch(mirror, f"https://{HOST}/2019/04/no-such-post.html")
    assert status == 404 and "'pageType': 'error_page'" in page_data(body.decode())


def test_head_answers_like_get_without_a_body(mirror):
    url = f"http://{HOST}/feeds/posts/default?alt=json"
    connection = http.client.HTTPConnection("127.0.0.1", mirror, timeout=5)
    connection.request("HEAD", url)
    head = connection.getresponse()
    assert head.status == 200 and head.read() == b""
    # Same connection: a body sent after the HEAD headers would garble this response.
    connection.request("GET", url)
    get = connection.getresponse()
    body = get.read()
    assert get.status == 200 and json.loads(body)["feed"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(body))
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


# --- faults --------------------------------------------------------------------------------

def test_status_fault_fires_its_number_of_times_then_stops(mirror):
    url = f"https://{HOST}/feeds/posts/default?alt=json&probe=busy"
    first, second, third = (fetch(mirror, url) for _ in range(3))
    assert [first[0], second[0], third[0]] == [503, 503, 200]
    assert first[1]["Retry-After"] == "2"


def test_drop_closes_the_connection_without_a_response(mirror):
    with socket.create_connection(("127.0.0.1", mirror), timeout=5) as connection:
        request = f"GET http://{HOST}/feeds/posts/default?probe=drop HTTP/1.1\r\nHost: {HOST}\r\n\r\n"
        connection.sendall(request.encode())
        assert connection.recv(1024) == b""


def test_truncated_and_invalid_bodies_are_complete_responses_of_broken_documents(mirror):
    url = f"https://{HOST}/feeds/posts/default?alt=json&probe=truncate"
    status, headers, body = fetch(mirror, url)
    assert status == 200 and int(headers["Content-Length"]) == len(body)
    full = fetch(mirror, url)[2]  # the fault fired once
    assert body == full[: len(full) // 2]
    json.loads(full)
    status, headers, body = fetch(mirror, f"https://{HOST}/feeds/posts/default?alt=json&probe=invalid")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


def test_not_post_fault_serves_an_archive_page(mirror):
    status, _, body = fetch(mirror, f"https://{HOST}/2019/04/harga-cabai-naik.html?probe=listing")
    html = body.decode()
    assert status == 200 and "'pageType': 'archive'" in page_data(html) and "class='post-body" not in html


def test_hostile_and_odd_documents(mirror):
    post = f"https://{HOST}/2019/04/harga-cabai-naik.html"
    status, _, body = fetch(mirror, post + "?probe=controls")
    assert status == 200 and b"class='\x00\x01\x0b\x1b" in body and b"<p>\x00\x01\x0b\x1b" in body
    status, headers, body = fetch(mirror, f"https://{HOST}/feeds/posts/default?alt=json&probe=home")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "'pageType': 'index'" in page_data(body.decode())
    # Said to be UTF-8, written in windows-1252.
    status, headers, body = fetch(mirror, f"https://{HOST}/feeds/posts/default?alt=rss&probe=charset")
    assert headers["Content-Type"].endswith("charset=UTF-8")
    text = body.decode("cp1252")
    ET.fromstring(text.encode("utf-8"))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, _, body = fetch(mirror, post + "?probe=padding")
    assert status == 200 and len(body) > 2 * 2**20 and body.endswith(b"</html>")


@pytest.mark.parametrize(("probe", "doctype", "reference"), [
    ("laughs", "<!ENTITY lol9 '&lol8;&lol8;", "&lol9;"),
    ("xxe", "<!ENTITY xxe SYSTEM 'file:///etc/passwd'>", "&xxe;"),
])
def test_entity_faults_open_xml_documents_with_a_hostile_doctype(mirror, probe, doctype, reference):
    for url in (f"https://{HOST}/feeds/posts/default?probe={probe}", f"https://{HOST}/sitemap.xml?page=1&probe={probe}"):
        text = fetch(mirror, url)[2].decode()
        assert text.startswith("<?xml") and doctype in text
        first = text.index(">", text.index("<title" if "<title" in text else "<loc"))
        assert text[first + 1:].startswith(reference)


# --- the command line ----------------------------------------------------------------------

def test_cli_prints_its_port_logs_every_request_and_stops_on_sigterm(tmp_path):
    config, log = tmp_path / "blogs.json", tmp_path / "requests.jsonl"
    blog = {"host": HOST, "aliases": ["kabar-satu.blogspot.co.id"], "posts": HAND_POSTS,
            "faults": [{"match": "probe=drop", "kind": "drop"}]}
    config.write_text(json.dumps({"blogs": [blog]}))
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.demo.server", "--config", str(config), "--log", str(log)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("LISTENING ")
        port = int(line.split()[1])
        fetch(port, f"https://{HOST}/robots.txt")
        fetch(port, f"http://{HOST}/feeds/posts/default?alt=json")
        fetch(port, "http://kabar-satu.blogspot.co.id/")
        assert direct(port, "/x") == (404, b"no such blog")
        with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError)):
            fetch(port, f"http://{HOST}/?probe=drop")
        records = [json.loads(line) for line in log.read_text().splitlines()]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    assert records == [
        {"host": HOST, "method": "GET", "path": "/robots.txt", "status": 200, "scheme": "https", "fault": None},
        {"host": HOST, "method": "GET", "path": "/feeds/posts/default?alt=json", "status": 200, "scheme": "http",
         "fault": None},
        {"host": "kabar-satu.blogspot.co.id", "method": "GET", "path": "/", "status": 301, "scheme": "http",
         "fault": None},
        {"host": "127.0.0.1", "method": "GET", "path": "/x", "status": 404, "scheme": "http", "fault": None},
        {"host": HOST, "method": "GET", "path": "/?probe=drop", "status": None, "scheme": "http", "fault": "drop"},
    ]


def test_bundled_demo_mirror_serves_its_three_blogs():
    config = json.loads((ROOT / "newscrawl/demo/blogs.json").read_text(encoding="utf-8"))
    server, port = serve(config)
    try:
        kabar = json_feed(port, "max-results=500", host="kabar-harian-demo.blogspot.com")
        assert len(kabar["entry"]) == 150 and int(kabar["openSearch$totalResults"]["$t"]) > 300
        cermin = json_feed(port, "", host="berita-cermin-demo.blogspot.com")
        assert all("summary" in e for e in cermin["entry"])
        assert any(e["title"]["$t"].startswith("[VIDEO] ") for e in cermin["entry"])
        assert fetch(port, "https://www.catatan-demo.net/feeds/posts/default")[0] == 404
        index = ET.fromstring(fetch(port, "https://www.catatan-demo.net/sitemap.xml")[2])
        assert index.tag == f"{SITEMAP}sitemapindex" and len(index) == 2
        published = [datetime.fromisoformat(e["published"]["$t"]) for e in cermin["entry"]]
        assert all(moment.utcoffset() is not None for moment in published)
    finally:
        server.shutdown()
        server.server_close()
