// Regions that scroll (wide tables on a phone, long texts in a box of fixed height) must be
// reachable with the keyboard (WCAG 2.1.1; axe « scrollable-region-focusable »). Each block of the
// main content that overflows in a direction where it scrolls gets tabindex="0" (and, when it is
// not a table and has no role, role="region" named after the table's caption or the heading that
// introduces it); the attributes leave when it fits again (wider window). One mechanism for every
// page: no template has to know whether its table or text will be too long for the screen.
(function () {
  "use strict";
  var TABLES = ".fr-table, .fr-table table, .fr-table__wrapper, .fr-table__container, .fr-table__content";
  // block containers only: the spans of a long text are never scroll boxes, and there are many
  var BLOCKS = "main div, main pre, main section, main article, main ul, main ol, main figure, main table";

  function words(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function name(element) {
    if (element.matches(TABLES)) {
      var found = element.querySelector("caption");
      return found && words(found) ? "Tableau défilant : " + words(found) : "Tableau défilant";
    }
    // the most important heading among those that come before it in the same container
    var best = null;
    for (var node = element.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName) && (!best || node.tagName < best.tagName)) {
        best = node;
      }
    }
    return best ? "Zone défilante : " + words(best) : "Zone défilante";
  }

  function scrolls(element) {
    var style = window.getComputedStyle(element);
    var x = (style.overflowX === "auto" || style.overflowX === "scroll") && element.scrollWidth > element.clientWidth + 1;
    var y = (style.overflowY === "auto" || style.overflowY === "scroll") && element.scrollHeight > element.clientHeight + 1;
    return x || y;
  }

  function update() {
    var seen = new Set();
    document.querySelectorAll(TABLES + ", " + BLOCKS).forEach(function (element) {
      if (seen.has(element)) {
        return;
      }
      seen.add(element);
      var overflowing = scrolls(element);
      if (overflowing && !element.hasAttribute("tabindex")) {
        var added = ["tabindex"];  // what this script added, and will remove
        element.setAttribute("tabindex", "0");
        if (element.tagName !== "TABLE" && !element.hasAttribute("role")) {
          element.setAttribute("role", "region");
          if (!element.hasAttribute("aria-label") && !element.hasAttribute("aria-labelledby")) {
            element.setAttribute("aria-label", name(element));
            added.push("aria-label");
          }
          added.push("role");
        }
        element.setAttribute("data-amorce-scrollable", added.join(" "));
      } else if (!overflowing && element.hasAttribute("data-amorce-scrollable")) {
        element.getAttribute("data-amorce-scrollable").split(" ").forEach(function (attribute) {
          element.removeAttribute(attribute);
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
