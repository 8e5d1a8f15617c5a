"""Templates of every package hold nothing the Content Security Policy blocks: no inline style
(``style=`` attributes, ``<style>`` elements), no inline event handler, no inline script without the
nonce, no ``javascript:`` link. Styles go to the static CSS (web/static/amorce/amorce.css or the
package's own static file). The browser tests (test_browser.py) check the rendered pages too."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "amorce"

BLOCKED = {
    "attribut style": re.compile(r"\sstyle\s*=", re.I),
    "élément <style>": re.compile(r"<style[\s>]", re.I),
    "gestionnaire d'événement en ligne": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "lien javascript:": re.compile(r"href\s*=\s*[\"']\s*javascript:", re.I),
    "script en ligne sans nonce": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I),
}


def test_no_template_holds_what_the_csp_blocks():
    problems = []
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern in BLOCKED.items():
                if pattern.search(line):
                    problems.append(f"{path.relative_to(SRC)}:{number} : {what} — {line.strip()[:120]}")
    assert not problems, "\n".join(problems)


def test_the_check_finds_inline_styles():
    assert BLOCKED["attribut style"].search('<p style="color: red">')
    assert BLOCKED["script en ligne sans nonce"].search("<script>alert(1)</script>")
    assert not BLOCKED["script en ligne sans nonce"].search('<script nonce="{{ request.csp_nonce }}">')
