// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // "Copy citation" buttons: shown only when the clipboard can be used.
  document.querySelectorAll(".copy-button").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copyTarget);
      navigator.clipboard.writeText(target.value).then(function () {
        button.textContent = "Copied";
      });
    });
  });

  // The filter panel: open beside the results on wide screens, a closed
  // "Filters (n)" disclosure on phones (the results come first).
  var panel = document.getElementById("filter-panel");
  var wide = window.matchMedia("(min-width: 52rem)");
  function placePanel() {
    if (panel && wide.matches) panel.open = true;
  }
  placePanel();
  if (wide.addEventListener) wide.addEventListener("change", placePanel);

  // Forms that apply on change (the filters, the sort menu): their button is
  // hidden; focus and the open groups come back after the new page loads.
  var RESTORE = "portal:restore";
  document.querySelectorAll("form[data-apply-on-change]").forEach(function (form) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.classList.add("js-hide");
    });
    form.addEventListener("change", function (event) {
      var field = event.target;
      if (field.classList.contains("facet-find")) return;
      try {
        var open = Array.prototype.map.call(
          form.querySelectorAll("details[open]"), function (d) { return d.id; }
        ).filter(Boolean);
        sessionStorage.setItem(RESTORE, JSON.stringify({
          path: location.pathname, focus: field.id, open: open,
          panel: panel ? panel.open : false
        }));
      } catch (e) { /* storage off: nothing to restore */ }
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
  try {
    var saved = JSON.parse(sessionStorage.getItem(RESTORE) || "null");
    sessionStorage.removeItem(RESTORE);
    if (saved && saved.path === location.pathname) {
      if (panel && saved.panel) panel.open = true;
      saved.open.forEach(function (id) {
        var group = document.getElementById(id);
        if (group) group.open = true;
      });
      var focused = saved.focus && document.getElementById(saved.focus);
      if (focused) {
        var folded = focused.closest(".facet-zero");
        if (folded) folded.open = true;
        focused.focus();
      }
    }
  } catch (e) { /* nothing saved */ }

  // Long facets (the cities on /initiatives/) get a box to find an option.
  document.querySelectorAll("fieldset.facet-searchable").forEach(function (fieldset, n) {
    var name = fieldset.querySelector("legend").textContent.split(":")[0];
    var box = document.createElement("input");
    box.type = "search";
    box.className = "facet-find";
    box.id = "facet-find-" + n;
    box.setAttribute("aria-label", "Find a " + name.toLowerCase() + " in this list");
    box.placeholder = "Find a " + name.toLowerCase();
    box.autocomplete = "off";
    fieldset.insertBefore(box, fieldset.querySelector("legend").nextSibling);
    var folded = fieldset.querySelector(".facet-zero");
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      if (folded && text) folded.open = true;
      fieldset.querySelectorAll(".facet-option").forEach(function (option) {
        var label = option.querySelector("label").textContent.toLowerCase();
        option.hidden = text !== "" && label.indexOf(text) === -1;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  });

  // Cities ticked for comparison on /cities/ stay in the address
  // (?compare=<slug>), so that the next page, a filter or the sort keeps them.
  var compareForm = document.getElementById("compare-form");
  if (compareForm) {
    var max = parseInt(compareForm.dataset.max, 10) || 4;
    var status = document.getElementById("compare-status");
    var picked = Array.prototype.map.call(
      compareForm.querySelectorAll("input[name=compare]"),
      function (input) {
        return input.type === "hidden" || input.checked ? input.value : null;
      }
    ).filter(Boolean);
    var names = {};
    // The boxes on this page and the cities picked on other pages (hidden).
    compareForm.querySelectorAll("input[name=compare][data-name]").forEach(function (input) {
      names[input.value] = input.dataset.name;
    });
    var withCompare = function (href) {
      var url = new URL(href, location.href);
      url.searchParams.delete("compare");
      picked.forEach(function (slug) { url.searchParams.append("compare", slug); });
      return url.pathname + url.search + url.hash;
    };
    var update = function () {
      history.replaceState(null, "", withCompare(location.href));
      document.querySelectorAll("main a[href]").forEach(function (link) {
        var url = new URL(link.href, location.href);
        if (url.origin === location.origin && url.pathname === location.pathname) {
          link.setAttribute("href", withCompare(link.href));
        }
      });
      document.querySelectorAll("form.filters, form.sort-form").forEach(function (form) {
        form.querySelectorAll("input[type=hidden][name=compare]").forEach(function (input) {
          input.remove();
        });
        picked.forEach(function (slug) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = "compare";
          input.value = slug;
          form.appendChild(input);
        });
      });
      document.getElementById("compare-bar").classList.toggle("has-picks", picked.length > 0);
      var shown = picked.map(function (slug) { return names[slug] || slug; });
      status.textContent = picked.length
        ? "Picked to compare (" + picked.length + " of " + max + "): " + shown.join(", ") + "."
        : "Tick up to " + max + " cities, on this page or others, to compare them.";
    };
    compareForm.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name !== "compare") return;
      if (box.checked) {
        if (picked.length >= max) {
          box.checked = false;
          status.textContent = "Compare takes at most " + max + " cities: untick one first.";
          return;
        }
        picked.push(box.value);
      } else {
        picked = picked.filter(function (slug) { return slug !== box.value; });
        compareForm.querySelectorAll("input[type=hidden][name=compare]").forEach(function (input) {
          if (input.value === box.value) input.remove();
        });
      }
      update();
    });
  }
})();
