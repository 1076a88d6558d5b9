#!/usr/bin/env python3
"""A crawl of the workspace as each role (issue 7, item 2).

Signs in as a mediator, a manager, an administrator and a statistics reader
of a demo database, follows every same-origin link of every page (GET), then
submits every form found with its fields emptied (the error states), and
checks that:
- no page shows an English sentence (a list of English words that French
  text does not use, in the visible text);
- no text from the URL is shown as an application message: every page is
  also fetched with ?erreur=<marker>&ok=<marker>, and the marker must not
  appear (a key of the catalogue is shown by its French text; an unknown key
  shows nothing);
- no page answers 500.
Drives the real binary ($AMIABLE_BIN) with `amiable demo`; standard library
only.
"""
import html
import os
import re
import sys
import urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_user  # noqa: E402

TODAY = "2026-12-01"
MARKER = "Texte-injecte-par-l-URL"
ENGLISH = re.compile(r"\b(the|is|must|cannot|unknown|invalid|missing|error|failed|please|"
                     r"should|not allowed|required|found|denied|forbidden|expected)\b",
                     re.IGNORECASE)
# Pages never crawled: sign-out would end the session; downloads are files.
SKIP = re.compile(r"^/(deconnexion|rapport/telecharger|dossiers/[^/]+/documents/)")
MAX_PAGES = 120


class Page(HTMLParser):
    """Links, forms and the visible text of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self.text = [], [], []
        self._skip = 0
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        if self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text")
            keep = kind == "hidden"
            self._form["fields"][a["name"]] = a.get("value", "") if keep else ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(body):
    p = Page()
    p.feed(body)
    return p


def english_in(text):
    return sorted({m.group(0).lower() for m in ENGLISH.finditer(text)})


def crawl(env, actor):
    s = Session(env, actor)
    seen, queue, pages = set(), ["/tableau"], 0
    forms = []
    while queue and pages < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or SKIP.match(path):
            continue
        seen.add(path)
        status, body = s.get(path)
        pages += 1
        check(status < 500, "%s GET %s: %d" % (actor, path, status))
        if "text/html" not in body[:200] and "<html" not in body[:500].lower():
            continue
        p = parse(body)
        text = html.unescape(" ".join(p.text))
        found = english_in(text)
        check(not found, "%s GET %s shows English words %s" % (actor, path, found))
        sep = "&" if "?" in path else "?"
        _, injected = s.get(path + sep + "erreur=" + MARKER + "&ok=" + MARKER)
        check(MARKER not in injected, "%s GET %s prints text from the URL" % (actor, path))
        for href in p.links:
            u = urllib.parse.urlparse(urllib.parse.urljoin(path, href))
            if u.netloc or not u.path.startswith("/"):
                continue
            target = u.path + ("?" + u.query if u.query else "")
            if target not in seen:
                queue.append(target)
        for f in p.forms:
            if f["method"] == "post":
                forms.append((path, f))
    # Error states: every form posted with its visible fields empty.
    done = set()
    for origin, f in forms:
        action = urllib.parse.urljoin(origin, f["action"] or origin)
        if action in done or SKIP.match(urllib.parse.urlparse(action).path):
            continue
        done.add(action)
        status, body = s.post(urllib.parse.urlparse(action).path, f["fields"])
        check(status < 500, "%s POST %s (empty): %d" % (actor, action, status))
        if status in (301, 302, 303):
            if not s.location:
                continue
            status, body = s.get(urllib.parse.urlparse(s.location)._replace(scheme="", netloc="").geturl())
            check(status < 500, "%s after POST %s: %d" % (actor, action, status))
        text = html.unescape(" ".join(parse(body).text))
        found = english_in(text)
        check(not found, "%s POST %s (empty) shows English words %s" % (actor, action, found))
    return pages, len(done)


def setup(env):
    env.cli("demo", "seed", "--years", "1", "--until", TODAY)
    for name, role, fund in (("crawl_med", "mediator", "631"), ("crawl_chef", "manager", "631"),
                             ("crawl_stat", "statistics", "631"),
                             ("crawl_admin", "administrator", None)):
        add_user(env, name, role, fund)


def scenario(env, _):
    check(english_in("the date is in the future") == ["is", "the"], "the detector works")
    for actor in ("crawl_med", "crawl_chef", "crawl_admin", "crawl_stat"):
        pages, forms = crawl(env, actor)
        print("crawl: %s: %d pages, %d forms" % (actor, pages, forms))


if __name__ == "__main__":
    sys.exit(amiable.main("crawl_test", "demo.db", TODAY, setup, scenario,
                          environ={"AMIABLE_PUBLIC_ORGANISME": "631"}))
