/* Company editors' forms: the rich-text editor for descriptions and the occupation picker.
 *
 * Both only enhance what works without JavaScript: the description stays a textarea (HTML with a few
 * tags), the occupations stay checkbox chips plus a text field with a <datalist>. No inline script,
 * no inline style (strict Content-Security-Policy): the markup and every text the user sees come
 * translated from the server (portal/templates/portal/widgets/…); this file only wires them up.
 *
 * Editor: Squire (squire-rte, contenteditable) with DOMPurify as its sanitiser. What it may produce is
 * exactly portal/validators.py ALLOWED_TAGS; the server cleans again with nh3 whatever arrives.
 */
(function () {
  "use strict";

  var ALLOWED_TAGS = ["p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4"];
  var ALLOWED_ATTR = ["href", "title"];
  var SAFE_URL = /^(?:https?:|mailto:)/i;

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function unwrap(element) {
    var parent = element.parentNode;
    while (element.firstChild) {
      parent.insertBefore(element.firstChild, element);
    }
    parent.removeChild(element);
  }

  function wrapContent(element, tag) {
    var wrapper = document.createElement(tag);
    while (element.firstChild) {
      wrapper.appendChild(element.firstChild);
    }
    element.appendChild(wrapper);
  }

  function rename(element, tag) {
    var replacement = document.createElement(tag);
    while (element.firstChild) {
      replacement.appendChild(element.firstChild);
    }
    element.parentNode.replaceChild(replacement, element);
    return replacement;
  }

  /* What Word and Google Docs put on the clipboard, turned into plain structure before the allow-list
     applies: bold/italic spans become <b>/<i>, Docs' "not bold" wrapper goes, Word's fake list
     paragraphs (a bullet in a span marked mso-list:Ignore) become a real list, other headings h3/h4. */
  function tidyOffice(fragment) {
    each(fragment.querySelectorAll("b, strong"), function (element) {
      if (/font-weight:\s*(normal|400)/i.test(element.getAttribute("style") || "")) {
        unwrap(element);
      }
    });
    each(fragment.querySelectorAll("span"), function (span) {
      var style = span.getAttribute("style") || "";
      if (/mso-list:\s*ignore/i.test(style)) {
        return;
      }
      if (/font-weight:\s*(bold|[6-9]00)/i.test(style)) {
        wrapContent(span, "b");
      }
      if (/font-style:\s*italic/i.test(style)) {
        wrapContent(span, "i");
      }
    });
    each(fragment.querySelectorAll("h1, h2"), function (element) {
      rename(element, "h3");
    });
    each(fragment.querySelectorAll("h5, h6"), function (element) {
      rename(element, "h4");
    });
    var list = null;
    each(fragment.querySelectorAll("p"), function (paragraph) {
      var style = paragraph.getAttribute("style") || "";
      var className = paragraph.getAttribute("class") || "";
      if (!/mso-list/i.test(style) && !/MsoListParagraph/i.test(className)) {
        return;
      }
      var marker = null;
      each(paragraph.querySelectorAll("span"), function (span) {
        if (!marker && /mso-list:\s*ignore/i.test(span.getAttribute("style") || "")) {
          marker = span;
        }
      });
      var ordered = Boolean(marker && /^\s*[0-9a-z]{1,3}[.)]/i.test(marker.textContent));
      if (marker) {
        marker.parentNode.removeChild(marker);
      }
      var tag = ordered ? "OL" : "UL";
      if (!list || paragraph.previousElementSibling !== list || list.nodeName !== tag) {
        list = document.createElement(tag);
        paragraph.parentNode.insertBefore(list, paragraph);
      }
      var item = document.createElement("li");
      while (paragraph.firstChild) {
        item.appendChild(paragraph.firstChild);
      }
      list.appendChild(item);
      paragraph.parentNode.removeChild(paragraph);
    });
  }

  /* Squire's sanitiser: everything it inserts (paste, drop, setHTML) passes here. */
  function sanitize(html) {
    var purify = window.DOMPurify;
    var loose = purify.sanitize(html, {
      ALLOWED_TAGS: ALLOWED_TAGS.concat(["span", "h1", "h2", "h5", "h6"]),
      ALLOWED_ATTR: ALLOWED_ATTR.concat(["style", "class"]),
      ALLOWED_URI_REGEXP: SAFE_URL,
      RETURN_DOM_FRAGMENT: true
    });
    tidyOffice(loose);
    var clean = purify.sanitize(loose, {
      ALLOWED_TAGS: ALLOWED_TAGS,
      ALLOWED_ATTR: ALLOWED_ATTR,
      ALLOWED_URI_REGEXP: SAFE_URL,
      RETURN_DOM_FRAGMENT: true
    });
    return document.importNode(clean, true);
  }

  function pathHas(editor, tag) {
    return new RegExp("(^|>)" + tag + "(>|\\.|#|\\[|$)").test(editor.getPath() || "");
  }

  /* h3 / h4 / back to a paragraph, for the blocks of the selection (lists stay lists). */
  function setBlock(editor, tag) {
    var target = pathHas(editor, tag) ? "P" : tag;
    editor.modifyBlocks(function (fragment) {
      var result = document.createDocumentFragment();
      each(Array.prototype.slice.call(fragment.childNodes), function (node) {
        if (node.nodeType === 1 && /^(P|DIV|H3|H4)$/.test(node.nodeName)) {
          result.appendChild(rename(node, target));
        } else {
          result.appendChild(node);
        }
      });
      return result;
    });
  }

  function initEditor(textarea) {
    var holder = document.querySelector('[data-rich-text-for="' + textarea.id + '"]');
    if (!holder || !window.Squire || !window.DOMPurify) {
      return; // the textarea stays
    }
    var surface = holder.querySelector("[data-rte-surface]");
    var linkPanel = holder.querySelector("[data-rte-link]");
    var linkInput = linkPanel.querySelector("input");
    var linkError = linkPanel.querySelector("[data-rte-link-error]");
    var editor = new window.Squire(surface, { blockTag: "P", sanitizeToDOMFragment: sanitize, addLinks: false });
    editor.setHTML(textarea.value);

    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "_label";
      surface.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () {
        editor.focus();
      });
    }
    if (textarea.getAttribute("aria-describedby")) {
      surface.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    textarea.hidden = true;
    holder.hidden = false;

    function sync() {
      var html = editor.getHTML();
      textarea.value = /^\s*(<p>\s*(<br>)?\s*<\/p>\s*)*$/i.test(html) ? "" : html;
    }

    var states = {
      bold: function () { return editor.hasFormat("B"); },
      italic: function () { return editor.hasFormat("I"); },
      h3: function () { return pathHas(editor, "H3"); },
      h4: function () { return pathHas(editor, "H4"); },
      ul: function () { return pathHas(editor, "UL"); },
      ol: function () { return pathHas(editor, "OL"); }
    };

    function updateStates() {
      each(holder.querySelectorAll("button[aria-pressed]"), function (button) {
        var state = states[button.getAttribute("data-command")];
        button.setAttribute("aria-pressed", state && state() ? "true" : "false");
      });
    }

    function closeLink() {
      linkPanel.hidden = true;
      linkError.hidden = true;
      linkInput.removeAttribute("aria-invalid");
      linkInput.value = "";
    }

    function applyLink() {
      var url = linkInput.value.trim();
      if (!SAFE_URL.test(url)) {
        linkError.hidden = false;
        linkInput.setAttribute("aria-invalid", "true");
        linkInput.focus();
        return;
      }
      closeLink();
      editor.focus();
      editor.makeLink(url);
      sync();
    }

    var commands = {
      bold: function () { return states.bold() ? editor.removeBold() : editor.bold(); },
      italic: function () { return states.italic() ? editor.removeItalic() : editor.italic(); },
      h3: function () { setBlock(editor, "H3"); },
      h4: function () { setBlock(editor, "H4"); },
      ul: function () { return states.ul() ? editor.removeList() : editor.makeUnorderedList(); },
      ol: function () { return states.ol() ? editor.removeList() : editor.makeOrderedList(); },
      link: function () {
        linkPanel.hidden = false;
        linkInput.focus();
      },
      unlink: function () { editor.removeLink(); },
      undo: function () { editor.undo(); },
      redo: function () { editor.redo(); },
      "link-apply": applyLink,
      "link-cancel": function () {
        closeLink();
        editor.focus();
      }
    };

    holder.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button || !commands[button.getAttribute("data-command")]) {
        return;
      }
      event.preventDefault();
      commands[button.getAttribute("data-command")]();
      updateStates();
      sync();
    });
    linkInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // not the whole profile form
        applyLink();
      } else if (event.key === "Escape") {
        commands["link-cancel"]();
      }
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("pathChange", updateStates);
    textarea.form.addEventListener("submit", sync);
    sync();
  }

  /* Occupation picker: htmx fills the suggestion list; a picked suggestion becomes a chip. */
  function initPicker(root) {
    var input = root.querySelector("[data-occupation-search]");
    var chips = root.querySelector("[data-chips]");
    var suggestions = root.querySelector("[data-suggestions]");
    if (!input || !chips || !suggestions || !window.htmx) {
      return; // the datalist and the server do the work
    }
    input.removeAttribute("list"); // one list of suggestions, not the browser's as well

    function addChip(id, name) {
      var existing = chips.querySelector('input[value="' + id + '"]');
      if (existing) {
        existing.checked = true;
        return;
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      label.className = "chip";
      box.type = "checkbox";
      box.name = chips.getAttribute("data-chips");
      box.value = id;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + name));
      item.appendChild(label);
      chips.appendChild(item);
      var empty = root.querySelector("[data-chips-empty]");
      if (empty) {
        empty.hidden = true;
      }
    }

    function pick(button) {
      addChip(button.getAttribute("data-occupation"), button.getAttribute("data-name"));
      var status = root.querySelector("[data-picked]");
      if (status) {
        status.textContent = status.getAttribute("data-picked").replace("{name}", button.getAttribute("data-name"));
      }
      input.value = "";
      suggestions.textContent = "";
      input.focus();
    }

    suggestions.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-occupation]");
      if (button) {
        event.preventDefault();
        pick(button);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      event.preventDefault(); // Enter picks the first suggestion instead of sending the whole form
      var first = suggestions.querySelector("button[data-occupation]");
      if (first) {
        pick(first);
      }
    });
  }

  function ready() {
    each(document.querySelectorAll("textarea[data-rich-text]"), initEditor);
    each(document.querySelectorAll("[data-occupation-picker]"), initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
