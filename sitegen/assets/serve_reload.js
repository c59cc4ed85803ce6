// Added by the preview server (python build.py serve), never part of the built site: reloads the
// page when a build finishes, so that it shows the new site, or the banner of a failed build.
// An event is "TOKEN" (every page reloads), or "TOKEN BASE only PATHS" (a preview of the edited
// plans' pages: only they reload) or "TOKEN BASE except PATHS" (a build ended whose pages PATHS are
// those the preview showed: they stay); a page skips a reload only if it shows BASE.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-build") : null;
  var events = new EventSource("/__serve__/events");
  events.addEventListener("build", function (e) {
    var parts = e.data.split(" ");
    if (shown === null || parts[0] === shown) return;
    var here = parts.slice(3).indexOf(location.pathname) >= 0;
    if (parts[1] === shown && ((parts[2] === "only" && !here) || (parts[2] === "except" && here))) {
      shown = parts[0];
      return;
    }
    events.close();
    location.reload();
  });
})();
