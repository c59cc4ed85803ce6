// Starts Pagefind's search UI on the search page; the index is built with the site.
(function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || !window.PagefindUI) return;
  var vi = el.getAttribute("data-lang") === "vi";
  new window.PagefindUI({
    element: "#search", bundlePath: new URL(el.getAttribute("data-bundle"), document.baseURI).href, showSubResults: true, showImages: false, highlightParam: "highlight",
    resetStyles: false,
    translations: vi ? { placeholder: "Tìm kế hoạch, chỉ tiêu, cơ quan, văn bản...", zero_results: "Không tìm thấy kết quả cho [SEARCH_TERM]", many_results: "[COUNT] kết quả cho [SEARCH_TERM]", one_result: "[COUNT] kết quả cho [SEARCH_TERM]", load_more: "Xem thêm", clear_search: "Xóa", search_label: "Tìm trong trang" } : {}
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { var input = el.querySelector("input"); if (input) { input.value = q; input.dispatchEvent(new Event("input")); } }
})();
