// One browser history entry per page; see appui/shell.py (TAB_JS).
// Streamlit pushes an entry for every change of the query string, and the app
// writes a page's state into it before and after each run: the back button
// then showed the same page again and the forward history was lost. A push
// that keeps the path replaces the current entry instead, so the entry of a
// page always holds its latest state and back goes to the page before.
(() => {
  if (window.kansenkaartHistory) return;
  window.kansenkaartHistory = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    const next = new URL(url, document.location.href);
    if (next.pathname === document.location.pathname) {
      return window.history.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
})();
