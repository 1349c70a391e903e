// Mount Pagefind's search UI; the index lives in <base path>/pagefind/.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  const area = document.getElementById("search-area");
  if (area) area.hidden = false;
  const ui = new PagefindUI({
    element: "#search",
    baseUrl: box.dataset.baseUrl,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  // Pagefind labels its input with a title only; name it by the visible label instead.
  const input = box.querySelector("input");
  if (input && box.dataset.label) input.setAttribute("aria-labelledby", box.dataset.label);
  // /search/?q=Chipenko starts with results, so a search can be linked to.
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
