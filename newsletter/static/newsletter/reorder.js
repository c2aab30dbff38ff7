// Drag rows of the item table to reorder; the position numbers follow and the form is submitted.
// Without JavaScript the numbers and the up/down buttons do the same.
(function () {
  var body = document.querySelector("[data-reorder]");
  if (!body) return;
  var dragged = null;
  body.querySelectorAll("tr").forEach(function (row) {
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) { dragged = row; event.dataTransfer.effectAllowed = "move"; });
    row.addEventListener("dragover", function (event) { event.preventDefault(); });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === row) return;
      var rect = row.getBoundingClientRect();
      var after = event.clientY > rect.top + rect.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
      body.querySelectorAll("input[data-position]").forEach(function (input, index) { input.value = index + 1; });
      var form = body.closest("form");
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
