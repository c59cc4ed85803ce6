// Added by the preview server (python build.py serve) to a draft's plan page, never part of the
// built site (sitegen/serve_review.py): the review panel. It reads the open items the server put in
// #serve-review-data, and sends each decision (accept, reject, edit, confirm, mark reviewed) to the
// server, which checks it with the build's own validators, writes the record's files and rebuilds;
// the page then reloads by itself (reload.js). Every text is set as text, never as HTML.
(function () {
  "use strict";
  var source = document.getElementById("serve-review-data");
  if (!source) return;
  var D = JSON.parse(source.textContent);
  var S = D.strings, I = D.items;
  var busy = false;

  function t(key, values) {
    var text = S[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "onclick") el.addEventListener("click", attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(c); });
    return el;
  }

  function button(label, onclick, extra) {
    return h("button", Object.assign({type: "button", text: label, onclick: onclick}, extra || {}));
  }

  var status = h("div", {id: "serve-review-status", role: "status", "aria-live": "polite"});
  var errors = h("div", {id: "serve-review-errors", role: "alert"});

  function showErrors(list) {
    errors.textContent = "";
    if (!list || !list.length) return;
    errors.appendChild(h("p", {text: t("review_failed")}));
    errors.appendChild(h("ul", {}, list.map(function (e) { return h("li", {text: e}); })));
  }

  function send(request) {
    if (busy) return;
    busy = true;
    panel.setAttribute("aria-busy", "true");
    showErrors([]);
    status.textContent = t("review_saving");
    request.plan = D.plan;
    request.version = D.version;
    fetch(D.endpoint, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-Review-Token": D.token},
      body: JSON.stringify(request)
    }).then(function (r) {
      return r.json().catch(function () { return {ok: false, errors: ["HTTP " + r.status]}; });
    }).then(function (answer) {
      if (answer.ok) {
        status.textContent = t("review_saved");
        Array.prototype.forEach.call(panel.querySelectorAll("button, input, select"), function (c) { c.disabled = true; });
        // The watcher rebuilds and reload.js reloads the page; a decision that changed no file starts no build.
        if (!answer.written || !answer.written.length) location.reload();
        return;
      }
      busy = false;
      panel.removeAttribute("aria-busy");
      status.textContent = "";
      showErrors(answer.errors);
      errors.scrollIntoView({block: "nearest"});
    }).catch(function (e) {
      busy = false;
      panel.removeAttribute("aria-busy");
      status.textContent = "";
      showErrors([String(e)]);
    });
  }

  // The candidate's quote in the text beside the panel: outlined while its box has the focus.
  function marksOf(id) {
    return document.querySelectorAll('mark.quote[data-for="' + id + '"]');
  }

  function highlight(id, on) {
    Array.prototype.forEach.call(marksOf(id), function (m) { m.classList.toggle("serve-review-current", on); });
  }

  function showQuote(id) {
    var marks = marksOf(id);
    if (!marks.length) return;
    highlight(id, true);
    marks[0].scrollIntoView({block: "center"});
  }

  function select(id, name, choices, value, withNone) {
    var s = h("select", {id: id, name: name});
    if (withNone) s.appendChild(h("option", {value: "", text: t("review_none")}));
    choices.forEach(function (c) {
      var o = h("option", {value: c[0], text: c[0] === c[1] ? c[0] : c[0] + " — " + c[1]});
      if (String(value) === c[0]) o.selected = true;
      s.appendChild(o);
    });
    return s;
  }

  function field(id, label, control) {
    return h("div", {"class": "serve-review-field"}, [h("label", {"for": id, text: label}), control]);
  }

  function describe(c) {
    var value = c.value + (c.value_max !== null && c.value_max !== undefined ? "–" + c.value_max : "");
    return c.id + ": " + (c.comparator === "=" ? "" : c.comparator + " ") + value + " " + c.unit +
      " (" + c.category + " / " + c.subject + (c.deadline ? ", " + c.deadline : "") + ")";
  }

  // Closing a form gives the focus back to its Edit button (a hidden element cannot keep it).
  function close(form) {
    form.hidden = true;
    var toggle = form.parentNode && form.parentNode.querySelector("button[aria-expanded]");
    if (toggle) toggle.focus();
  }

  function candidateEditor(c) {
    var p = "serve-review-" + c.id + "-";
    var parents = D.items.target_ids.filter(function (x) { return x !== c.id; }).map(function (x) { return [x, x]; });
    var controls = {
      value: h("input", {id: p + "value", type: "number", step: "any", value: c.value, required: "required"}),
      value_max: h("input", {id: p + "value_max", type: "number", step: "any",
                             value: c.value_max === null ? "" : c.value_max}),
      comparator: select(p + "comparator", "comparator", D.choices.comparator, c.comparator, false),
      unit: select(p + "unit", "unit", D.choices.unit, c.unit, false),
      category: select(p + "category", "category", D.choices.category, c.category, false),
      subject: select(p + "subject", "subject", D.choices.subject, c.subject, false),
      subject_text: h("input", {id: p + "subject_text", type: "text", value: c.subject_text || ""}),
      deadline: h("input", {id: p + "deadline", type: "number", step: "1", min: "1945", max: "2100",
                            value: typeof c.deadline === "number" ? c.deadline : ""}),
      parent: select(p + "parent", "parent", parents, c.parent || "", true)
    };
    var form = h("form", {"class": "serve-review-edit", hidden: "hidden", "aria-label": t("review_edit") + " " + c.id},
      Object.keys(controls).map(function (k) { return field(p + k, t("review_label_" + k), controls[k]); }));
    form.appendChild(h("div", {"class": "serve-review-actions"}, [
      h("button", {type: "submit", text: t("review_save"), "aria-label": t("review_save") + " " + c.id}),
      button(t("review_cancel"), function () { close(form); }, {"aria-label": t("review_cancel") + " " + c.id})
    ]));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var changes = {};
      var num = function (el) { return el.value === "" ? null : Number(el.value); };
      var now = {
        value: num(controls.value), value_max: num(controls.value_max), comparator: controls.comparator.value,
        unit: controls.unit.value, category: controls.category.value, subject: controls.subject.value,
        subject_text: controls.subject_text.value, deadline: controls.deadline.value === "" ? "unknown" : num(controls.deadline),
        parent: controls.parent.value || null
      };
      Object.keys(now).forEach(function (k) {
        var before = k === "deadline" && typeof c.deadline !== "number" ? "unknown" : c[k];
        if (before === undefined) before = null;
        var blank = function (x) { return x === "" || x === null; };
        if (now[k] !== before && !(blank(now[k]) && blank(before))) changes[k] = now[k];
      });
      if (!Object.keys(changes).length) send({op: "accept", item: "candidate", id: c.id});
      else send({op: "edit", item: "candidate", id: c.id, changes: changes});
    });
    form.addEventListener("keydown", function (e) { if (e.key === "Escape") close(form); });
    return form;
  }

  function candidateBox(c) {
    var form = candidateEditor(c);
    var box = h("li", {"class": "serve-review-item", id: "serve-review-" + c.id, "data-target": c.id}, [
      h("p", {"class": "serve-review-what"}, [h("strong", {text: describe(c)}),
        h("span", {text: " · " + t("review_confidence") + " " + c.confidence})]),
      h("blockquote", {text: c.quote, lang: "vi"}),  // the source's words and ingest's note: Vietnamese
      c.note ? h("p", {"class": "serve-review-note", text: c.note, lang: "vi"}) : null,
      h("div", {"class": "serve-review-actions"}, [
        button(t("review_show_quote"), function () { showQuote(c.id); }, {"aria-label": t("review_show_quote") + " " + c.id}),
        button(t("review_accept"), function () { send({op: "accept", item: "candidate", id: c.id}); },
               {"aria-label": t("review_accept") + " " + c.id, "class": "serve-review-accept"}),
        button(t("review_reject"), function () { send({op: "reject", item: "candidate", id: c.id}); },
               {"aria-label": t("review_reject") + " " + c.id}),
        button(t("review_edit"), function () {
          form.hidden = !form.hidden;
          if (!form.hidden) form.querySelector("input, select").focus();
        }, {"aria-label": t("review_edit") + " " + c.id, "aria-expanded": "false"})
      ]),
      form
    ]);
    box.addEventListener("focusin", function () { highlight(c.id, true); });
    box.addEventListener("focusout", function () { highlight(c.id, false); });
    box.addEventListener("mouseenter", function () { highlight(c.id, true); });
    box.addEventListener("mouseleave", function () { highlight(c.id, false); });
    return box;
  }

  function fieldBox(f) {
    var id = "serve-review-field-" + f.key;
    var label = t("review_field_" + f.key);
    var input = f.key === "excerpt"
      ? h("input", {id: id, type: "checkbox", checked: f.value === true ? "checked" : null})
      : h("input", {id: id, type: "text", value: f.value === null || f.value === undefined ? "" : String(f.value)});
    var note = f.entry !== f.key ? h("p", {"class": "serve-review-note", text: f.entry}) : null;
    return h("li", {"class": "serve-review-item"}, [
      field(id, label, input), note,
      h("div", {"class": "serve-review-actions"}, [
        button(t("review_accept"), function () { send({op: "accept", item: "field", id: f.key}); },
               {"aria-label": t("review_accept") + ": " + label, "class": "serve-review-accept"}),
        button(t("review_save"), function () {
          send({op: "edit", item: "field", id: f.key, value: f.key === "excerpt" ? input.checked : input.value});
        }, {"aria-label": t("review_save") + ": " + label}),
        f.may_be_unknown ? button(t("review_set_unknown"), function () { send({op: "reject", item: "field", id: f.key}); },
                                  {"aria-label": t("review_set_unknown") + ": " + label}) : null
      ])
    ]);
  }

  function entryText(key, e) {
    if (key === "citations") return e.as_written;
    if (key === "targets") return describe(e) + " — " + e.quote;
    return (e.theme || e.kind || e.agency || "") + (e.role ? " (" + e.role + ")" : "") + ": " + (e.quote || "");
  }

  function sectionBox(s) {
    var label = t("review_section_" + s.key);
    var removable = ["commitments", "tasks", "themes"].indexOf(s.key) >= 0;
    var list = h("ol", {}, s.entries.map(function (e, i) {
      return h("li", {}, [h("span", {text: entryText(s.key, e) + " ", lang: "vi"}),
        removable ? button(t("review_remove"), function () { send({op: "remove", item: "entry", id: s.key, index: i}); },
                           {"aria-label": t("review_remove") + ": " + label + " " + (i + 1)}) : null]);
    }));
    return h("li", {"class": "serve-review-item"}, [
      h("p", {}, [h("strong", {text: label}), h("span", {text: " (" + s.entries.length + ")"})]),
      s.entry !== s.key ? h("p", {"class": "serve-review-note", text: s.entry}) : null,
      s.entries.length ? list : null,
      h("div", {"class": "serve-review-actions"}, [
        button(t("review_confirm"), function () { send({op: "accept", item: "entry", id: s.key}); },
               {"aria-label": t("review_confirm") + ": " + label, "class": "serve-review-accept"})
      ])
    ]);
  }

  function otherBox(o) {
    return h("li", {"class": "serve-review-item"}, [h("p", {text: o.entry}),
      h("div", {"class": "serve-review-actions"}, [
        button(t("review_confirm"), function () { send({op: "accept", item: "entry", id: o.key}); },
               {"aria-label": t("review_confirm") + ": " + o.entry, "class": "serve-review-accept"})])]);
  }

  function group(id, title, items) {
    if (!items.length) return null;
    return h("section", {"aria-labelledby": id}, [h("h3", {id: id, text: title + " (" + items.length + ")"}),
                                                   h("ul", {"class": "serve-review-list"}, items)]);
  }

  var done = button(t("review_done"), function () { send({op: "done"}); },
                    {id: "serve-review-done", disabled: I.left ? "disabled" : null});
  var panel = h("aside", {id: "serve-review", "aria-labelledby": "serve-review-h", lang: D.lang}, [
    h("h2", {id: "serve-review-h", text: t("review_heading")}),
    h("p", {"class": "serve-review-note", text: t("review_intro", {corpus: D.corpus})}),
    h("p", {id: "serve-review-left", text: I.left ? t("review_left", {n: I.left}) : t("review_nothing_left")}),
    status, errors,
    group("serve-review-fields-h", t("review_fields"), I.fields.map(fieldBox)),
    group("serve-review-candidates-h", t("review_candidates"), I.candidates.map(candidateBox)),
    group("serve-review-sections-h", t("review_sections"), I.sections.map(sectionBox)),
    group("serve-review-other-h", t("review_other"), I.other.map(otherBox)),
    // The citations found in the text, also when the review list does not name them.
    I.citations.length && !I.sections.some(function (s) { return s.key === "citations"; })
      ? h("section", {"aria-labelledby": "serve-review-cites-h"}, [
          h("h3", {id: "serve-review-cites-h", text: t("review_section_citations") + " (" + I.citations.length + ")"}),
          h("ol", {}, I.citations.map(function (c) { return h("li", {text: c.as_written, lang: "vi"}); }))])
      : null,
    h("p", {"class": "serve-review-note", text: t("review_excerpt_flag") + ": " +
            (I.excerpt ? t("review_yes") : t("review_no"))}),
    h("div", {"class": "serve-review-actions"}, [done]),
    h("p", {"class": "serve-review-note", text: t("review_done_hint")})
  ]);
  document.body.classList.add("serve-reviewing");
  document.body.appendChild(panel);
  // The edit buttons say whether their form is open.
  Array.prototype.forEach.call(panel.querySelectorAll("form.serve-review-edit"), function (form) {
    var toggle = form.parentNode.querySelector("button[aria-expanded]");
    new MutationObserver(function () { toggle.setAttribute("aria-expanded", form.hidden ? "false" : "true"); })
      .observe(form, {attributes: true, attributeFilter: ["hidden"]});
  });
})();
