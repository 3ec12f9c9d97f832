"""Uploading an article on the Curate page, in Chromium against `streamlit run` in curation mode (issue 23):
a UTF-8 file and a UTF-16 file with its byte-order mark fill the form with the text exactly (no NUL between the
letters, no U+FFFD); a binary file renamed .txt, UTF-16 without its mark and a file over 1 MB are refused with
the reason on screen and leave the form as it was. Screenshots go to the test's temporary folder."""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_data_dir

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh --browser)")

BODY = "KABUL — The Taliban warned Kazakhstan on Sunday, “we  will not wait”.\n\nA second paragraph: ümlaut, Ташкент."
UTF8_FILE = f"---\ntitle: Taliban warn Kazakhstan\noutlet: Test Wire\npublished: '2011-06-08'\n---\n{BODY}\n"
UTF16_BODY = "Талибан: второй абзац — “in UTF-16”."
UTF16_FILE = f"---\ntitle: Ташкент talks\n---\n{UTF16_BODY}\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.test_browser import serve_dashboard

    data = write_data_dir(tmp_path_factory.mktemp("upload") / "data")
    yield from serve_dashboard(data, {"DASHBOARD_CURATE": "1"}, "streamlit-upload-test.log")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from tests.test_browser import Browser

    b = Browser()
    yield b
    b.close()


def test_uploads_on_the_curate_page(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seen = browser.run(lambda br: _upload_each(br, server, tmp_path), timeout=600)
    # a binary file renamed .txt: refused, the reason on screen, the form untouched
    assert "photo.txt: not used: the file is not UTF-8 text (undecodable byte at offset 0)" in seen["binary"]["warnings"]
    assert seen["binary"]["body"] == ""
    # UTF-16 with its byte-order mark: decoded, front matter used, no NUL and no replacement character
    assert seen["utf16"]["body"] == UTF16_BODY and seen["utf16"]["title"] == "Ташкент talks"
    assert seen["utf16"]["warnings"] == ""  # the earlier refusal is gone
    # UTF-8: the body exactly as in the file (inner double spaces and the blank line kept)
    assert seen["utf8"]["body"] == BODY and seen["utf8"]["title"] == "Taliban warn Kazakhstan"
    # UTF-16 without its mark: refused as not text; the form keeps the UTF-8 article
    assert "nomark.txt: not used: the file holds NUL characters" in seen["nomark"]["warnings"]
    assert seen["nomark"]["body"] == BODY
    # over 1 MB: Streamlit refuses it in the browser before it is sent
    assert "1.0MB" in seen["big"]["text"] and seen["big"]["body"] == BODY


def _upload_each(br, server: str, out: Path) -> dict:  # type: ignore[no-untyped-def]
    context = br.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)
    seen: dict = {}
    try:
        page.goto(server + "/curate")
        body = page.get_by_label("Article text (paste the body", exact=False)
        body.wait_for()
        title = page.get_by_label("Title (the headline as published)")
        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')

        def state(name: str) -> dict:
            for _ in range(120):  # a rerun keeps the old element beside the new one for a moment: wait for one
                page.wait_for_timeout(500)
                if body.count() == 1 and title.count() == 1 and not page.locator('[data-stale="true"]').count():
                    break
            warnings = page.locator('[data-testid="stAlertContentWarning"]')
            return {"body": body.input_value(), "title": title.input_value(),
                    "warnings": " ".join(warnings.all_inner_texts()),
                    "text": page.locator('[data-testid="stMain"]').inner_text()}  # fmt: skip

        def filled(text: str) -> None:  # a textarea's value is not in the page's innerText
            page.wait_for_function("s => [...document.querySelectorAll('textarea')].some(t => t.value.includes(s))",
                                   arg=text)  # fmt: skip

        def send(name: str, data: bytes) -> None:
            upload.set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": data}])

        send("photo.txt", PNG)
        page.get_by_text("photo.txt: not used").wait_for()
        seen["binary"] = state("binary")
        page.screenshot(path=str(out / "upload-binary.png"))

        send("article-utf16.txt", codecs.BOM_UTF16_LE + UTF16_FILE.encode("utf-16-le"))
        filled("второй абзац")
        page.get_by_text("photo.txt: not used").wait_for(state="detached")
        seen["utf16"] = state("utf16")

        send("article.md", UTF8_FILE.encode("utf-8"))
        filled("we  will not wait")
        seen["utf8"] = state("utf8")
        page.screenshot(path=str(out / "upload-utf8.png"))

        send("nomark.txt", UTF16_FILE.encode("utf-16-le"))
        page.get_by_text("nomark.txt: not used").wait_for()
        seen["nomark"] = state("nomark")
        page.screenshot(path=str(out / "upload-nomark.png"))

        send("huge.txt", b"The Taliban said. " * 70_000)  # 1.26 MB
        page.get_by_text("1.0MB", exact=False).first.wait_for()
        seen["big"] = state("big")
        page.screenshot(path=str(out / "upload-big.png"))
        return seen
    finally:
        context.close()
