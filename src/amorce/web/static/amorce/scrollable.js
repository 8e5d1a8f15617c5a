// Regions that scroll sideways (wide tables on a phone) must be reachable with the keyboard (WCAG
// 2.1.1; axe « scrollable-region-focusable »). Each table region that overflows gets tabindex="0"
// (and, when it is not the table itself, role="region" named after the table's caption); the
// attributes leave when it fits again (wider window). One mechanism for every page: no template
// has to know whether its table will be too wide.
(function () {
  "use strict";
  var SELECTOR = ".fr-table, .fr-table table, .fr-table__wrapper, .fr-table__container, .fr-table__content";

  function caption(element) {
    var found = element.querySelector("caption");
    var text = found ? found.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? "Tableau défilant : " + text : "Tableau défilant";
  }

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (element) {
      var overflow = window.getComputedStyle(element).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && element.scrollWidth > element.clientWidth + 1;
      if (scrolls && !element.hasAttribute("tabindex")) {
        var added = ["tabindex"];  // what this script added, and will remove
        element.setAttribute("tabindex", "0");
        if (element.tagName !== "TABLE" && !element.hasAttribute("role")) {
          element.setAttribute("role", "region");
          element.setAttribute("aria-label", caption(element));
          added.push("role", "aria-label");
        }
        element.setAttribute("data-amorce-scrollable", added.join(" "));
      } else if (!scrolls && element.hasAttribute("data-amorce-scrollable")) {
        element.getAttribute("data-amorce-scrollable").split(" ").forEach(function (name) {
          element.removeAttribute(name);
        });
        element.removeAttribute("data-amorce-scrollable");
      }
    });
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("load", update);
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", update);
})();
