"""The fallback for post pages no template family knows: trafilatura finds the body."""

from __future__ import annotations

from lxml import html as lxml_html

from newscrawl.blogger.body import NO_BODY, Body, clean_body
from newscrawl.blogger.pages.document import Doc


def generic_body(doc: Doc) -> Body:
    # Imported on first use: it is slow to import and only this fallback needs it.
    import trafilatura

    extracted = trafilatura.extract(
        doc.text, url=doc.url, output_format="html", include_links=True,
        include_images=True, include_comments=False,
    )
    if not extracted:
        return NO_BODY
    body = lxml_html.document_fromstring(extracted).body
    body.tag = "div"
    return clean_body(body, doc.base_url, doc.blog_url, copy_tree=False)
