// Dutch for Streamlit's built-in English texts; see appui/shell.py
// (DUTCH_WIDGETS_JS). Exact texts in WORDS, texts with a number in PATTERNS.
(() => {
  if (window.kansenkaartDutch) return;
  window.kansenkaartDutch = true;
  const WORDS = {
    "Running...": "Bezig…", "Stop": "Stoppen", "Stopping...": "Stoppen…",
    "No results": "Geen resultaten", "Select all": "Alles kiezen",
    "Clear all": "Alles wissen", "Clear value": "Wissen",
    "Choose an option": "Maak een keuze", "Choose options": "Kies een of meer",
    "Choose or add an option": "Kies of typ een waarde",
    "Choose or add options": "Kies of typ waarden",
    "Upload": "Bestand kiezen", "Add files": "Bestanden toevoegen",
    "Drag and drop a file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Only one file is allowed.": "U kunt één bestand tegelijk laden.",
    "Connecting": "Verbinden", "Connection error": "Geen verbinding",
    "Please wait...": "Even geduld…", "Copy": "Kopiëren", "Copied": "Gekopieerd",
    "Close": "Sluiten", "Show password": "Wachtwoord tonen",
    "Hide password": "Wachtwoord verbergen",
    "Page not found": "Pagina niet gevonden",
    "The page that you have requested does not seem to exist. Running the app's main page.":
      "Deze pagina bestaat niet (meer). U ziet de startpagina; kies links een pagina."
  };
  const UNITS = {GB: "GB", MB: "MB", KB: "kB", B: "B"};
  const size = (n, u) => n.replace(".", ",") + "\u00a0" + UNITS[u];
  const PATTERNS = [
    [/^Press (.+) to apply$/, (m, k) => `Druk op ${k} om toe te passen`],
    [/^Press (.+) to submit form$/, (m, k) => `Druk op ${k} om het formulier te versturen`],
    [/^(\d+(?:\.\d+)?)(GB|MB|KB|B) per file$/, (m, n, u) => `max. ${size(n, u)} per bestand`],
    [/^(\d+(?:\.\d+)?)(GB|MB|KB|B)$/, (m, n, u) => size(n, u)],
    [/^(\S+) files are not allowed\.$/, (m, t) => `${t}-bestanden kunnen hier niet.`],
    [/^File must be (\d+(?:\.\d+)?)(GB|MB|KB|B) or smaller\.$/,
     (m, n, u) => `Het bestand mag hoogstens ${size(n, u)} zijn.`],
    [/^Help for (.+)$/, (m, l) => `Uitleg bij ${l}`]
  ];
  const dutch = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (WORDS[key]) return text.replace(key, WORDS[key]);
    for (const [re, fn] of PATTERNS) if (re.test(key)) return text.replace(key, key.replace(re, fn));
    return null;
  };
  const ATTRS = ["placeholder", "aria-label", "title"];
  const fixText = (node) => {
    const nl = dutch(node.nodeValue);
    if (nl !== null && nl !== node.nodeValue) node.nodeValue = nl;
  };
  const fixAttrs = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      const nl = v && dutch(v);
      if (nl && nl !== v) el.setAttribute(a, nl);
    }
  };
  const fix = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixText(n);
    fixAttrs(root);
    root.querySelectorAll("[placeholder], [aria-label], [title]").forEach(fixAttrs);
  };
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "childList") c.addedNodes.forEach(fix);
      else if (c.type === "characterData") fixText(c.target);
      else fixAttrs(c.target);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ATTRS});
  fix(document.body);
})();
