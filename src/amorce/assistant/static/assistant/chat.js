// Progressive enhancement of the assistant chat (the page works without it): after htmx appended
// an answer, move the focus to it and empty the question field; on a full page load after a
// question, focus the latest answer so screen readers read it.
(function () {
  "use strict";
  function focusLatest(container) {
    var items = (container || document).querySelectorAll("[data-dernier]");
    var last = items[items.length - 1];
    if (last) { last.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash.indexOf("#echange-") === 0) { focusLatest(document.getElementById("fil")); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var wait = document.getElementById("attente");
    if (wait && event.detail.target && event.detail.target.id === "fil") { wait.textContent = "Recherche dans les fiches en cours…"; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var wait = document.getElementById("attente");
    if (wait) { wait.textContent = ""; }
    if (!event.detail.target || event.detail.target.id !== "fil") { return; }
    var empty = document.getElementById("fil-vide");
    if (empty) { empty.remove(); }
    var older = event.detail.target.querySelectorAll("[data-dernier]");
    for (var i = 0; i < older.length - 1; i++) { older[i].removeAttribute("data-dernier"); }
    var field = document.getElementById("id_question");
    if (field && event.detail.requestConfig && event.detail.requestConfig.elt && event.detail.requestConfig.elt.id === "form-question") { field.value = ""; }
    focusLatest(event.detail.target);
  });
})();
