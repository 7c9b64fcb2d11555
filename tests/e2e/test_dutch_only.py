"""Browser: no English from Streamlit's built-in widgets (issue 18, "Dutch
everywhere").

Streamlit draws its own texts in English ("Select all", "No results", "Press
Enter to apply", "Drag and drop a file here", "200MB per file", "Running...",
"View 3 more" under the menu). The app swaps them for Dutch ones
(``appui/dutch_widgets.js``, loaded by ``appui/shell.py``) and turns off the
English main menu (``client.toolbarMode = "minimal"``). These tests read the
visible text of every page, with every dropdown opened, nonsense typed into
it, text typed into fields and a file in the uploader, and look for the
English strings of Streamlit 1.x (taken from its frontend bundle).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import assert_no_exception, screenshot
from tests.e2e.test_layout_fit import PATHS, settle

# Streamlit's English texts, as whole words (case-sensitive: Dutch words such
# as "stoppen" or "uploaden" do not match).
ENGLISH = re.compile(
    r"(?<!\w)(Select all|Clear all|No results|Choose an option|Choose options"
    r"|Choose or add|Press Enter|Press ⌘\+Enter|Press Ctrl\+Enter|to apply"
    r"|submit form|Drag and drop|Browse files|Add files|Upload|per file|Limit"
    r"|Running\.\.\.|Stop|Stopping|Connecting|Please wait|View \d+ more"
    r"|View less|Deploy|Rerun|Settings|Print|Record a screencast|About"
    r"|Clear cache|Made with Streamlit|Ask Google|Ask ChatGPT|Copy"
    r"|files are not allowed|File must be|You can only select|Page not found"
    r"|does not seem to exist)(?!\w)"
    r"|\b\d+(?:\.\d+)?(?:KB|MB|GB)\b"  # 200MB, 1.2KB: English size notation
)

VISIBLE_TEXT = """() => {
  const parts = [];
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden'
      && parseFloat(cs.fontSize) > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    // Material icons are ligatures ("keyboard_arrow_down"), not words.
    if (!text || !el || el.closest('[data-testid="stIconMaterial"], script, style'))
      continue;
    if (seen(el)) parts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder]'))
    if (seen(el)) parts.push(el.placeholder);
  for (const el of document.querySelectorAll('*')) {
    const after = getComputedStyle(el, '::after').content;
    if (after && after.startsWith('"') && seen(el)) parts.push(after);
  }
  return parts.join('\\n');
}"""


def english(text: str) -> list[str]:
    """The lines of ``text`` with one of Streamlit's English strings."""
    return [line for line in text.splitlines() if ENGLISH.search(line)]


def test_the_english_list_finds_streamlits_texts_and_not_dutch_ones():
    """The scanner itself: Streamlit's strings hit, the app's Dutch ones do not."""
    for text in (
        "Select all",
        "No results",
        "Press Enter to apply",
        "Drag and drop a file here",
        "200MB per file • ZIP",
        "1.2KB",
        "Running...",
        "View 3 more",
        "Choose an option",
    ):
        assert english(text), text
    for text in (
        "Alles kiezen",
        "max. 200 MB per bestand • ZIP",
        "1,2 kB",
        "Druk op Enter om toe te passen",
        "Stoppen",
        "Bestand kiezen",
        "49.534 m²",
        "6,9 GWh",
    ):
        assert not english(text), text


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="nl-NL"
    )
    yield context.new_page()
    context.close()


def read(page) -> str:
    return page.evaluate(VISIBLE_TEXT)


def open_dropdown(page, box) -> None:
    """Click ``box`` until its list shows: a rerun that a map or the URL
    sync starts just after loading can close a list that just opened."""
    for _ in range(4):
        # The arrow at the bottom right (under the label): in a multiselect
        # the middle may be a tag.
        size = box.bounding_box()
        box.click(position={"x": size["width"] - 16, "y": size["height"] - 18})
        try:
            page.get_by_role("listbox").wait_for(timeout=3_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            settle(page)
    raise AssertionError(f"the list of {box.inner_text()!r} does not open")


def open_every_dropdown(page) -> list[str]:
    """Open each selectbox and multiselect of the page's main area, read it,
    type nonsense ("No results"), read again, close it."""
    texts = []
    boxes = page.locator(
        '[data-testid="stMain"] [data-testid="stSelectbox"], '
        '[data-testid="stMain"] [data-testid="stMultiSelect"]'
    )
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible() or not box.locator("input").is_enabled():
            continue
        open_dropdown(page, box)
        texts.append(read(page))
        page.keyboard.type("qqxq")
        page.wait_for_timeout(200)
        texts.append(read(page))
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    return texts


def type_in_fields(page) -> list[str]:
    """Type into the first text fields (Streamlit then shows "Press Enter to
    apply" or "... to submit form" under them) and read."""
    texts = []
    fields = page.locator(
        '[data-testid="stMain"] [data-testid="stTextInput"] input, '
        '[data-testid="stMain"] [data-testid="stTextArea"] textarea'
    )
    for i in range(min(fields.count(), 3)):
        field = fields.nth(i)
        if not field.is_visible() or not field.is_editable():
            continue
        field.click()
        field.press("End")
        field.press_sequentially("x")
        page.wait_for_timeout(200)
        texts.append(read(page))
        field.press("Backspace")
    return texts


@pytest.mark.parametrize("title", list(PATHS))
def test_page_shows_no_streamlit_english(tab, app_url, title):
    tab.goto(f"{app_url}/{PATHS[title]}")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"]')
    settle(tab)
    assert_no_exception(tab)
    texts = [read(tab), *open_every_dropdown(tab), *type_in_fields(tab)]
    found = sorted({line for text in texts for line in english(text)})
    if found:
        screenshot(tab, f"english_{PATHS[title] or 'start'}")
    assert found == []


def test_a_page_that_does_not_exist_is_said_in_dutch(tab, app_url):
    tab.goto(f"{app_url}/bestaat_niet")
    tab.get_by_text("Pagina niet gevonden").wait_for()
    assert english(read(tab)) == []


def test_sidebar_uploader_and_terrain_picker_speak_dutch(tab, app_url, tmp_path):
    tab.goto(app_url)
    tab.wait_for_selector('[data-testid="stMainBlockContainer"]')
    settle(tab)
    picker = tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    open_dropdown(tab, picker)
    # Streamlit's placeholder while searching, "Choose an option", in Dutch.
    assert picker.locator("input").get_attribute("placeholder") == "Maak een keuze"
    tab.keyboard.type("qqxq")
    tab.get_by_text("Geen resultaten").wait_for()
    tab.keyboard.press("Escape")
    tab.get_by_text("Eigen terrein laden (.zip)").click()
    dropzone = tab.locator('[data-testid="stFileUploaderDropzone"]')
    assert "max. 200\u00a0MB per bestand" in dropzone.inner_text()
    assert "Bestand kiezen" in dropzone.inner_text()
    broken = tmp_path / "kapot.zip"
    broken.write_bytes(b"x" * 1500)  # 1,5 kB
    tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(broken)
    )
    tab.get_by_text("'kapot.zip' is niet geladen").wait_for()
    sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
    assert re.search(r"1,5\s?kB", sidebar), sidebar
    found = english(read(tab))
    assert found == []
