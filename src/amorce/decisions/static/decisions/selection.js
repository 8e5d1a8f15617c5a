/* Review page: the reviewer selects a passage in the decision's text to occult it. The selection's
   start and end (positions in the original text, read from the data-start of each piece) fill the
   hidden fields of the « Occulter la sélection » form, which posts to the existing add endpoint.
   No inline script or style: CSP-safe. */
(function () {
  "use strict";
  var text = document.getElementById("texte");
  var form = document.getElementById("occulter-selection");
  if (!text || !form) { return; }
  var pieces = Array.prototype.slice.call(text.querySelectorAll("[data-start]"));
  var raw = pieces.map(function (p) { return p.textContent; }).join("");
  var length = Number(text.getAttribute("data-length")) || raw.length;
  var shown = document.getElementById("selection-texte");
  var startField = document.getElementById("selection-debut");
  var endField = document.getElementById("selection-fin");
  var button = document.getElementById("selection-bouton");

  function position(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var piece = node.parentElement.closest("[data-start]");
      if (piece && text.contains(piece)) { return Number(piece.getAttribute("data-start")) + offset; }
    }
    // a boundary between elements (or in an entity's number): the next piece of text starts there
    var point = document.createRange();
    point.setStart(node, offset);
    for (var i = 0; i < pieces.length; i++) {
      if (point.comparePoint(pieces[i], 0) > 0) { return Number(pieces[i].getAttribute("data-start")); }
    }
    return length;
  }

  function reset() {
    startField.value = endField.value = "";
    shown.textContent = "aucune";
    button.disabled = true;
  }

  function update() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { return reset(); }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return reset(); }
    var start = position(range.startContainer, range.startOffset);
    var end = position(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(raw.charAt(start))) { start++; }
    while (end > start && /\s/.test(raw.charAt(end - 1))) { end--; }
    if (end <= start) { return reset(); }
    startField.value = String(start);
    endField.value = String(end);
    shown.textContent = "« " + raw.slice(start, end) + " »";
    button.disabled = false;
  }

  document.addEventListener("selectionchange", update);
  reset();
}());
