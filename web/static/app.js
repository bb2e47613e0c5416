// Small enhancements on top of pages that work without JavaScript: copy buttons, clearing the
// question after an answer, error turns when the server cannot be reached, and a stronger
// highlight for the passage a link points at in the document viewer.
(function () {
  "use strict";

  function revealCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button.copy[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function flash(button, text) {
    var original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = text;
    window.setTimeout(function () {
      button.textContent = original;
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) return;
    navigator.clipboard.writeText(button.dataset.cite).then(
      function () {
        flash(button, "Copied");
        announce("Citation copied.");
      },
      function () {
        var box = button.parentElement.querySelector("details.cite-box");
        if (box) box.open = true;
        flash(button, "Copy failed: select the citation");
      }
    );
  });

  function announce(text) {
    var status = document.getElementById("status");
    if (status) status.textContent = text;
  }

  // --- the conversation ---------------------------------------------------------------------

  function errorTurn(message) {
    var conversation = document.getElementById("conversation");
    if (!conversation) return;
    var turn = document.createElement("article");
    turn.className = "turn turn-error";
    turn.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.className = "error-message";
    var strong = document.createElement("strong");
    strong.textContent = "Could not answer.";
    text.appendChild(strong);
    text.appendChild(document.createTextNode(" " + message));
    turn.appendChild(text);
    conversation.appendChild(turn);
    turn.scrollIntoView({ block: "nearest" });
  }

  function serverMessage(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    try {
      if (type.indexOf("application/json") === 0) {
        var detail = JSON.parse(xhr.responseText).detail;
        if (typeof detail === "string") return detail;
      } else if (type.indexOf("text/html") === 0) {
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var found = page.querySelector(".error-message");
        if (found) return found.textContent.replace(/^\s*Could not answer\.\s*/, "");
      }
    } catch (ignored) {
      // fall through to the generic message
    }
    return "The server could not answer (HTTP " + xhr.status + "). Please try again.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    errorTurn(serverMessage(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    errorTurn("The server could not be reached. Check that it is running, then try again.");
  });
  document.addEventListener("htmx:timeout", function () {
    errorTurn("The server took too long to answer. Please try again.");
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form.ask")) return;
    var asking = document.getElementById("asking");
    var question = form.querySelector("input[name=q]").value.trim();
    if (asking && question) {
      asking.lastChild.textContent = " Searching the documents for “" + question.slice(0, 80) +
        (question.length > 80 ? "…" : "") + "”";
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form.ask")) return;
    var input = form.querySelector("input[name=q]");
    if (event.detail.xhr && event.detail.xhr.status < 400 && event.detail.successful) {
      input.value = "";
      var label = form.querySelector("label[for=q]");
      if (label) label.textContent = "Ask a follow-up question";
    }
    input.focus({ preventScroll: true });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "conversation") return;
    var turns = event.detail.target.querySelectorAll(".turn");
    var latest = turns[turns.length - 1];
    if (latest) latest.scrollIntoView({ block: "start" });
  });

  document.addEventListener("htmx:load", function (event) {
    revealCopyButtons(event.detail.elt);
  });

  // A citation opens the passage it points at (passages are collapsed behind their titles).
  function openCited(id) {
    var target = id && document.getElementById(id);
    if (target && target.matches("details.card")) target.open = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.cite");
    if (link && link.hash) openCited(decodeURIComponent(link.hash.slice(1)));
    var more = event.target.closest("button.show-more");
    if (!more) return;
    var section = more.closest(".figures");
    var rows = section && section.querySelector("tbody.more-figures");
    if (!rows) return;
    rows.hidden = !rows.hidden;
    more.dataset.label = more.dataset.label || more.textContent;
    more.textContent = rows.hidden ? more.dataset.label : "Fewer figures";
    more.setAttribute("aria-expanded", String(!rows.hidden));
  });

  // "Search in": the summary says how many documents are ticked (none ticked: all of them).
  document.addEventListener("change", function (event) {
    var box = event.target.closest(".doc-filter input[name=doc]");
    if (!box) return;
    var filter = box.closest(".doc-filter");
    var all = filter.querySelectorAll("input[name=doc]");
    var ticked = filter.querySelectorAll("input[name=doc]:checked").length;
    filter.querySelector("summary").textContent = ticked
      ? "Search in: " + ticked + " of " + all.length + " documents"
      : "Search in: all " + all.length + " documents";
  });

  // --- the document viewer ------------------------------------------------------------------

  function markTarget() {
    document.querySelectorAll(".passage.is-target").forEach(function (element) {
      element.classList.remove("is-target");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("passage")) {
      target.classList.add("is-target");
      return;
    }
    // A link made before the viewer came in parts ("#c-0042" alone): open the part holding it.
    var passage = /^c-(\d+)$/.exec(id);
    var params = new URLSearchParams(window.location.search);
    if (!target && passage && document.querySelector(".doc-parts") && !params.has("at")) {
      params.set("at", String(Number(passage[1])));
      params.delete("part");
      window.location.replace("?" + params.toString() + window.location.hash);
    }
  }

  window.addEventListener("hashchange", function () {
    openCited(decodeURIComponent(window.location.hash.slice(1)));
    markTarget();
  });
  document.addEventListener("DOMContentLoaded", function () {
    revealCopyButtons(document);
    openCited(decodeURIComponent(window.location.hash.slice(1)));
    markTarget();
  });
})();
