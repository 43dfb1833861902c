/* Revive's own small script: the folding menu on phones and the Jalali date picker.
   The picker draws nothing by itself: every month grid comes from the server (/calendar/month/),
   so the calendar arithmetic (Esfand 30 in leap years only) lives in one place, in Python.
   Without this script the menu is simply open and the date fields are plain text fields. */
(function () {
  "use strict";
  var me = document.currentScript;
  var calendarUrl = me && me.dataset.calendarUrl;
  var pickLabel = (me && me.dataset.pickLabel) || "Choose a date";
  document.documentElement.classList.add("js");

  function closeAllPickers(except) {
    document.querySelectorAll(".jdate-box:not([hidden])").forEach(function (box) {
      if (box !== except) {
        box.hidden = true;
        var b = box.parentNode.querySelector(".jdate-open");
        if (b) b.setAttribute("aria-expanded", "false");
      }
    });
  }

  function loadMonth(box, params) {
    var input = box.parentNode.querySelector("input[data-jdate]");
    var query = new URLSearchParams(params);
    query.set("value", input.value || "");
    return fetch(calendarUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { box.innerHTML = html; });
  }

  function enhance(root) {
    if (!calendarUrl) return;
    (root || document).querySelectorAll("input[data-jdate]:not([data-jdate-ready])").forEach(function (input) {
      input.setAttribute("data-jdate-ready", "1");
      var wrap = document.createElement("span");
      wrap.className = "jdate";
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      var open = document.createElement("button");
      open.type = "button";
      open.className = "jdate-open";
      open.setAttribute("aria-expanded", "false");
      open.setAttribute("aria-label", pickLabel + (input.labels && input.labels[0] ? ": " + input.labels[0].textContent.trim() : ""));
      open.innerHTML = '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 20 20"><rect x="2" y="4" width="16" height="14" fill="none" stroke="currentColor" stroke-width="2"/><path d="M2 8h16M6 2v4M14 2v4" stroke="currentColor" stroke-width="2"/></svg>';
      var box = document.createElement("div");
      box.className = "jdate-box";
      box.hidden = true;
      wrap.appendChild(open);
      wrap.appendChild(box);
    });
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    var toggle = t.closest(".menu-toggle");
    if (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      if (menu) menu.classList.toggle("open", open);
      return;
    }
    var opener = t.closest(".jdate-open");
    if (opener) {
      var box = opener.parentNode.querySelector(".jdate-box");
      if (!box.hidden) { closeAllPickers(); return; }
      closeAllPickers(box);
      loadMonth(box, {}).then(function () {
        box.hidden = false;
        opener.setAttribute("aria-expanded", "true");
        var first = box.querySelector(".jcal-day.selected, .jcal-day.today, .jcal-day");
        if (first) first.focus();
      });
      return;
    }
    var inBox = t.closest(".jdate-box");
    if (!inBox) {
      if (!t.closest(".jdate")) closeAllPickers();
      return;
    }
    var nav = t.closest("[data-month]");
    if (nav) {
      loadMonth(inBox, { month: nav.getAttribute("data-month") }).then(function () {
        var again = inBox.querySelector('[data-month="' + nav.getAttribute("data-month") + '"]') || inBox.querySelector(".jcal-day");
        if (again) again.focus();
      });
      return;
    }
    var day = t.closest(".jcal-day");
    var wrap = inBox.parentNode;
    if (day) {
      var input = wrap.querySelector("input[data-jdate]");
      input.value = day.getAttribute("data-value");
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (day || t.closest(".jcal-close")) {
      closeAllPickers();
      wrap.querySelector(".jdate-open").focus();
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && e.target.closest && e.target.closest(".jdate")) {
      var wrap = e.target.closest(".jdate");
      closeAllPickers();
      wrap.querySelector(".jdate-open").focus();
    }
  });

  /* A post that failed comes back at the top of the page; on a phone its form, and the list of what is wrong,
     may be screens below (a bank's decision on a loan page starts 1,000 px down), so the user saw the same
     page and took it for saved. The first list of problems is brought into view and focused (read out). */
  function showProblems() {
    var summary = document.querySelector("main .error-summary");
    if (!summary || window.location.hash) return;
    var top = summary.getBoundingClientRect().top;
    if (top >= 0 && top < window.innerHeight / 2) return;  // already on the screen (sign-in keeps its autofocus)
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus({ preventScroll: true });
    // With the heading of its section when that is close above it ("The bank's decision").
    var section = summary.closest("section");
    var near = section && summary.getBoundingClientRect().top - section.getBoundingClientRect().top < 200;
    (near ? section : summary).scrollIntoView({ block: "start" });
  }

  /* A table whose rows carry a form (a bank or an agency answers a resolution, an officer reviews a filing or
     moves an obstacle) is, on a phone, one card per row: each cell under its column's heading and the form at
     full width, instead of a sideways scroller with the form cut off at the edge and the text one word a line.
     The headings are copied into data-label here (app.css draws them); without the script it scrolls. */
  function stackTables() {
    document.querySelectorAll("table.data").forEach(function (table) {
      if (!table.tHead || !(table.classList.contains("stacked") || table.querySelector("tbody form"))) return;
      table.classList.add("stacked");
      var heads = [];
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        for (var k = 0; k < th.colSpan; k++) heads.push(th.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            // A cell whose form shows its own label ("Decision") does not get the heading a second time.
            var labelled = cell.querySelector("label:not(.visually-hidden)");
            if (cell.colSpan === 1 && heads[col] && !labelled && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[col]);
            col += cell.colSpan;
          });
        });
      });
    });
  }

  /* A cell of prose (a resolution's text, an indicator's name) in a table that scrolls on a phone was squeezed
     to 55-90 px, a word a line; marked .prose, app.css keeps it readable and the table scrolls instead.
     Such text is often what someone typed, in either language: dir=auto lays a Persian resolution out right to
     left on the English page (its "۱۰٫۷ میلیارد ریال" and full stop were placed as in English), and the reverse. */
  function markProse() {
    document.querySelectorAll("table.data:not(.stacked) td:not(.prose)").forEach(function (td) {
      if (td.querySelector("input, select, textarea, button") || td.textContent.trim().length <= 40) return;
      td.classList.add("prose");
      if (!td.hasAttribute("dir")) td.setAttribute("dir", "auto");
    });
  }

  function ready() { enhance(document); stackTables(); markProse(); showProblems(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target); });
  document.addEventListener("htmx:afterSettle", function () { stackTables(); markProse(); });  // rows swapped in
})();
